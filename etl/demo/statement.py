"""bank_statement_<YYYY-MM>.txt: the last 30 days of the company's account in 1CClientBankExchange 1.03.

Windows-1251 with CRLF, as a bank client writes it. It carries the ruble payments of those days
(payments.csv does not repeat them), 3-5 payers that are no customer (a new client, a mistaken
transfer), and a few orders the company itself sent, which the loader skips but a real statement
has. The balances in the header add up.
"""

from __future__ import annotations

from datetime import date

from domain.money import format_money
from etl.demo.company import BANKS, COMPANY_ACCOUNT, COMPANY_BANK, COMPANY_INN, COMPANY_KPP, COMPANY_NAME, Bank
from etl.demo.formats import vat
from etl.demo.names import kpp_of
from etl.demo.payments import StatementDoc
from etl.demo.state import Run

Party = tuple[str, str, str, str, Bank]  # account, INN, KPP, name, bank
_COMPANY: Party = (COMPANY_ACCOUNT, COMPANY_INN, COMPANY_KPP, COMPANY_NAME, COMPANY_BANK)

# Suppliers the company pays, with the purpose each one's orders carry.
_SUPPLIERS = (
    ("ООО «ТрансЛогистик»", "Оплата по счету № {n} от {d} за транспортные услуги"),
    ("АО «Мясокомбинат Поволжский»", "Оплата по договору поставки № П-{n} от {d} за товар"),
    ("ООО «Молочный край»", "Оплата по счету № {n} от {d} за молочную продукцию"),
    ("ИП Сидоров Петр Андреевич", "Арендная плата за склад по договору № {n} от {d}"),
    ("ООО «Упаковка-Сервис»", "Оплата по счету № {n} от {d} за упаковочные материалы"),
)

Doc = tuple[int, int, list[str]]  # (date, order, lines)


def write_statement(run: Run, statement_docs: list[StatementDoc]) -> None:
    docs: list[Doc] = []
    incoming_total = _customer_payments(run, statement_docs, docs)
    incoming_total += _unidentified_payments(run, docs)
    opening, outgoing_total = _outgoing_orders(run, incoming_total, docs)
    docs.sort(key=lambda doc: (doc[0], doc[1]))

    ru = run.dates.ru
    first, last = ru(run.stmt_start), ru(run.end)
    header = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows",
        "Отправитель=СберБизнес",
        "Получатель=Бухгалтерия предприятия, редакция 3.0",
        f"ДатаСоздания={last}",
        "ВремяСоздания=19:05:12",
        f"ДатаНачала={first}",
        f"ДатаКонца={last}",
        f"РасчСчет={COMPANY_ACCOUNT}",
        "Документ=Платежное поручение",
        "СекцияРасчСчет",
        f"ДатаНачала={first}",
        f"ДатаКонца={last}",
        f"РасчСчет={COMPANY_ACCOUNT}",
        f"НачальныйОстаток={format_money(opening)}",
        f"ВсегоПоступило={format_money(incoming_total)}",
        f"ВсегоСписано={format_money(outgoing_total)}",
        f"КонечныйОстаток={format_money(opening + incoming_total - outgoing_total)}",
        "КонецРасчСчет",
    ]
    end_date = date.fromordinal(run.end)
    path = run.folder / f"bank_statement_{end_date:%Y-%m}.txt"
    run.files.append(path)
    # Text mode with newline="\r\n" turns every "\n" into CRLF, as Windows clients write it;
    # cp1251 with errors="strict" so a character the format cannot carry fails loudly here.
    with path.open("w", encoding="cp1251", errors="strict", newline="\r\n") as handle:
        handle.write("\n".join(header) + "\n")
        for _d, _o, lines in docs:
            handle.write("\n".join(lines) + "\n")
        handle.write("КонецФайла\n")


def _customer_payments(run: Run, statement_docs: list[StatementDoc], docs: list[Doc]) -> int:
    """The customers' ruble payments of the statement's days; returns their total."""
    rng = run.rng
    total = 0
    for pay, seq, cp, amount, number, purpose in statement_docs:
        # The payer's order is often dated a day or two before the money arrives.
        doc_date = pay
        if rng.random() < 0.15:
            doc_date = pay - rng.randint(1, 2)
        payer = (cp.account, cp.inn, cp.kpp, cp.name, cp.bank)
        docs.append((pay, seq, _payment_order(run, number, doc_date, amount, payer, _COMPANY, purpose, True, pay)))
        total += amount
    run.counts["bank_payments"] = len(statement_docs)
    return total


def _unidentified_payments(run: Run, docs: list[Doc]) -> int:
    """Payers whose INN belongs to no customer (a new client, a mistaken transfer); returns their total."""
    rng = run.rng
    names = run.names
    total = 0
    for k in range(rng.randint(3, 5)):
        person = k == 1
        region = ("77", "50", "78", "16", "66")[k]
        inn = names.inn(region, person)
        if person:
            surname, first, patronymic = names.person(False)
            name = f"ИП {surname} {first} {patronymic}"
            kpp = ""
        else:
            name = f"ООО «{names.company_words()[0]}»"
            kpp = kpp_of(inn)
        bank = BANKS[rng.randrange(len(BANKS))]
        account = names.account(bank, person)
        day = run.cal.workday_in(run.stmt_start, run.end, rng)
        amount = rng.randint(5_000, 300_000) * 100 + rng.randint(0, 99)
        purpose = (
            f"Оплата по счету № {rng.randint(100, 999)} от {run.dates.ru(day - rng.randint(2, 10))} за товар, "
            f"в т.ч. НДС 20% - {format_money(vat(amount))}"
        )
        run.seq += 1
        payer = (account, inn, kpp, name, bank)
        number = str(rng.randint(1, 999))
        docs.append((day, run.seq, _payment_order(run, number, day, amount, payer, _COMPANY, purpose, True, day)))
        total += amount
        run.counts["bank_payments"] += 1
        run.counts["bank_unidentified"] += 1
    return total


def _outgoing_orders(run: Run, incoming_total: int, docs: list[Doc]) -> tuple[int, int]:
    """The company's own orders to its suppliers; returns (opening balance, their total)."""
    rng = run.rng
    opening = rng.randint(2_000_000, 20_000_000) * 100
    budget = int(incoming_total * rng.uniform(0.5, 0.85)) if incoming_total else opening // 2
    n_out = rng.randint(4, 8)
    shares = [rng.uniform(0.5, 1.5) for _ in range(n_out)]
    total = 0
    out_no = rng.randint(1000, 5000)
    # The company numbers its own orders in the order it sends them.
    out_days = sorted(run.cal.workday_in(run.stmt_start, run.end, rng) for _ in range(n_out))
    for k in range(n_out):
        name, template = _SUPPLIERS[k % len(_SUPPLIERS)]
        person = name.startswith("ИП")
        inn = run.names.inn("63", person)
        bank = BANKS[(k + 1) % len(BANKS)]
        account = run.names.account(bank, person)
        amount = max(100_000, int(budget * shares[k] / sum(shares)))
        day = out_days[k]
        out_no += rng.randint(1, 20)
        purpose = template.format(n=rng.randint(10, 999), d=run.dates.ru(day - rng.randint(3, 20)))
        purpose += f", в т.ч. НДС 20% - {format_money(vat(amount))}"
        run.seq += 1
        payee = (account, inn, "" if person else kpp_of(inn), name, bank)
        docs.append((day, run.seq, _payment_order(run, str(out_no), day, amount, _COMPANY, payee, purpose, False, day)))
        total += amount
    run.counts["bank_outgoing"] = n_out
    return opening, total


def _payment_order(
    run: Run,
    number: str,
    doc_date: int,
    amount: int,
    payer: Party,
    payee: Party,
    purpose: str,
    incoming: bool,
    moved: int,
) -> list[str]:
    """The lines of one СекцияДокумент; `moved` is the day the money arrived (incoming) or left."""
    ru = run.dates.ru
    p_acc, p_inn, p_kpp, p_name, p_bank = payer
    r_acc, r_inn, r_kpp, r_name, r_bank = payee
    return [
        "СекцияДокумент=Платежное поручение",
        f"Номер={number}",
        f"Дата={ru(doc_date)}",
        f"Сумма={format_money(amount)}",
        f"ПлательщикСчет={p_acc}",
        f"ДатаСписано={ru(moved)}" if not incoming else f"ДатаПоступило={ru(moved)}",
        f"Плательщик=ИНН {p_inn} {p_name}",
        f"ПлательщикИНН={p_inn}",
        f"ПлательщикКПП={p_kpp}",
        f"Плательщик1={p_name}",
        f"ПлательщикРасчСчет={p_acc}",
        f"ПлательщикБанк1={p_bank[0]}",
        f"ПлательщикБанк2={p_bank[1]}",
        f"ПлательщикБИК={p_bank[2]}",
        f"ПлательщикКорсчет={p_bank[3]}",
        f"ПолучательСчет={r_acc}",
        f"Получатель=ИНН {r_inn} {r_name}",
        f"ПолучательИНН={r_inn}",
        f"ПолучательКПП={r_kpp}",
        f"Получатель1={r_name}",
        f"ПолучательРасчСчет={r_acc}",
        f"ПолучательБанк1={r_bank[0]}",
        f"ПолучательБанк2={r_bank[1]}",
        f"ПолучательБИК={r_bank[2]}",
        f"ПолучательКорсчет={r_bank[3]}",
        "ВидОплаты=01",
        "Очередность=5",
        f"НазначениеПлатежа={purpose}",
        "КонецДокумента",
    ]
