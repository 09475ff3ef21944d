"""Payment reminders: the day's queue with a preview of each e-mail, sending, the send log, failures, and
the rules and templates (dashboard.services.reminder_run, dashboard.services.reminders)."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
import streamlit as st

from dashboard.formatting import day
from dashboard.services.mailer import SmtpNotConfigured, smtp_settings
from dashboard.services.reminder_run import paused_table
from dashboard.services.reminders import FIELDS, LANGUAGES, ReminderSettings, group_values, overrides_of
from dashboard.ui import actions, loaders
from dashboard.ui.auth import page_user, require
from dashboard.ui.context import page_context
from dashboard.ui.db import app_config
from dashboard.ui.tables import show_table
from domain.money import money

ctx = page_context()
t, language, filters = ctx.t, ctx.language, ctx.filters
as_of = filters.as_of
# Reminders cover every currency: the sidebar's currency narrows amounts on other pages, not who is reminded.
scope = ctx.scope_without("currency")
config = app_config()
user = page_user()

st.title(t("reminders.title"))
st.caption(t("reminders.caption"))
status = loaders.warehouse_status()
if status.documents == 0:
    st.info(t("status.empty"))
    st.stop()

try:
    settings = loaders.uncached_reminder_settings()
    calendar = loaders.uncached_work_calendar()
except ValueError as error:
    st.error(t("reminders.rules.config_error", error=error))
    st.stop()
working = calendar.is_working_day(as_of)
# On a day off nothing goes out: the queue shown is the next working day's, as a preview (not sendable today).
queue_day = as_of if working else calendar.next_working_day_on_or_after(as_of + timedelta(days=1))

planned = loaders.reminder_plan(as_of=queue_day, scope=scope)
failures = loaders.reminder_log(scope=scope, statuses=("failed", "pending"))
rule_names = {code: t(f"reminders.rule.{code}") for code in ("before", "overdue", "repeat")}
queue_tab, sent_tab, failures_tab, rules_tab = st.tabs(
    [
        t("reminders.tab.queue", day=day(queue_day, language)),
        t("reminders.tab.sent"),
        t("reminders.tab.failures", count=failures.height),
        t("reminders.tab.rules"),
    ]
)


def totals_text(totals: tuple[tuple[str, int], ...]) -> str:
    return ", ".join(money(kopecks, language, currency) for currency, kopecks in totals)


# ------------------------------------------------------------------------------------------ the queue

with queue_tab:
    if planned.unconfirmed_earlier:
        st.warning(t("reminders.unconfirmed_earlier", count=planned.unconfirmed_earlier))
    if not working:
        st.info(t("reminders.day_off", day=day(as_of, language), next=day(queue_day, language)))
    if not planned.items:
        st.success(t("reminders.empty", day=day(queue_day, language)))
    else:
        items = planned.items
        to_send = [i for i in items if i.status in ("would_send", "retry")]
        tiles = st.columns(4)
        tiles[0].metric(t("reminders.tile.messages"), f"{len(to_send)}")
        tiles[1].metric(t("reminders.tile.documents"), f"{sum(i.message.documents for i in to_send)}")
        tiles[2].metric(t("reminders.tile.no_address"), f"{sum(1 for i in items if i.status == 'no_address')}")
        tiles[3].metric(
            t("reminders.tile.done"), f"{sum(1 for i in items if i.status in ('already_sent', 'unconfirmed'))}"
        )
        table = pl.DataFrame(
            {
                "counterparty_name": [i.message.counterparty_name for i in items],
                "status": [t(f"reminders.status.{i.status}") for i in items],
                "documents": [i.message.documents for i in items],
                "totals": [totals_text(i.message.totals) for i in items],
                "rules": [", ".join(rule_names[r] for r in i.message.rules) for i in items],
                "to": [", ".join(i.message.to) for i in items],
                "cc": [", ".join(i.message.cc) for i in items],
                "manager": [i.message.manager for i in items],
            }
        )
        show_table(
            table,
            money=(),
            key="reminders_queue",
            file_name=f"reminders_{as_of.isoformat()}.xlsx",
            language=language,
            labels={
                "counterparty_name": t("col.counterparty_name"),
                "manager": t("col.manager"),
                "to": t("reminders.col.to"),
                "cc": t("reminders.col.cc"),
                "documents": t("reminders.col.documents"),
                "totals": t("reminders.col.totals"),
                "rules": t("reminders.col.rules"),
                "status": t("reminders.col.status"),
            },
            opens_card=pl.Series([i.message.counterparty_id for i in items]),
        )

        st.subheader(t("reminders.preview"))
        by_id = {i.message.counterparty_id: i for i in items}
        chosen = st.selectbox(
            t("filter.counterparty"),
            list(by_id),
            format_func=lambda cid: f"{by_id[cid].message.counterparty_name} ({cid})",
            key="reminders_preview",
        )
        message = by_id[chosen].message
        with st.container(border=True):
            st.markdown(
                t(
                    "reminders.preview.head",
                    to=", ".join(message.to) or "—",
                    cc=", ".join(message.cc) or "—",
                    subject=message.subject,
                )
            )
            st.text(message.body)
            if settings.attach_act:
                st.caption(
                    t("reminders.preview.attachment", day=day(queue_day, language), fmt=settings.attach_act.upper())
                )

        smtp = None
        if not working:
            pass  # the next working day's queue, shown ahead: it is sent on that day
        elif not user.may_load:  # a manager sees the queue; the finance team sends
            st.caption(t("reminders.send.team_only"))
        else:
            try:
                smtp = smtp_settings(config, planned.company)
            except SmtpNotConfigured:
                st.info(t("reminders.send.not_configured"))
            except ValueError as error:
                st.error(t("reminders.send.bad_settings", error=error))
        bank = loaders.bank_check(as_of=as_of, fresh_days=settings.bank_fresh_days)
        if smtp is not None and to_send and bank.holds:
            st.warning(bank.describe(language), icon=":material/account_balance:")  # no button until it loads
        elif smtp is not None and to_send:
            st.caption(t("reminders.send.via", server=smtp.describe()))
            if st.button(t("reminders.send", count=len(to_send)), type="primary", key="reminders_send"):
                bar = st.progress(0.0)

                def advance(done: int, total: int) -> None:
                    bar.progress(done / total, text=t("reminders.send.progress", done=done, total=total))

                report = actions.send_reminders(user, as_of=as_of, scope=scope, smtp=smtp, progress=advance)
                st.session_state["reminders_report"] = (
                    report.count("sent"),
                    report.count("failed", "no_address"),
                    report.count("already_sent", "unconfirmed", "taken"),
                    f"{report.seconds:.1f}",
                )
                st.rerun()
        done = st.session_state.get("reminders_report")
        if done:
            sent, failed, skipped, seconds = done
            (st.warning if failed else st.success)(
                t("reminders.send.done", sent=sent, failed=failed, skipped=skipped, seconds=seconds)
            )
    # Why a counterparty with debts is missing from the queue: an open promise or dispute holds them back.
    paused = paused_table(planned, language)
    if paused.height:
        st.subheader(t("reminders.paused"))
        st.caption(t("reminders.paused.caption"))
        show_table(
            paused.drop("counterparty_id"),
            money=(),
            key="reminders_paused",
            file_name=f"reminders_paused_{queue_day.isoformat()}.xlsx",
            language=language,
            labels={
                "counterparty_name": t("col.counterparty_name"),
                "document": t("reminders.col.document"),
                "reason": t("reminders.col.reason"),
                "held": t("reminders.col.held"),
            },
            opens_card=paused["counterparty_id"],
            totals=False,
        )


# ------------------------------------------------------------------------------------------ the log

LOG_LABELS = {
    "day": t("reminders.col.day"),
    "counterparty_name": t("col.counterparty_name"),
    "manager": t("col.manager"),
    "rule": t("reminders.col.rule"),
    "status": t("reminders.col.status"),
    "documents": t("reminders.col.documents"),
    "recipients": t("reminders.col.recipients"),
    "attempts": t("reminders.col.attempts"),
    "sent_at": t("reminders.col.sent_at"),
    "error": t("reminders.col.error"),
    "user_name": t("reminders.col.user"),
}


def log_table(frame: pl.DataFrame) -> pl.DataFrame:
    statuses = {s: t(f"reminders.status.{s}") for s in ("pending", "sent", "failed", "retried", "obsolete")}
    return frame.with_columns(
        pl.col("rule").replace_strict(rule_names, default=pl.col("rule")),
        pl.col("status").replace_strict(statuses, default=pl.col("status")),
        pl.col("sent_at").dt.strftime("%d.%m.%Y %H:%M"),
    ).select(*LOG_LABELS)


with sent_tab:
    st.caption(t("reminders.sent.caption", day=day(as_of, language)))
    recent = loaders.reminder_log(scope=scope, date_from=as_of - timedelta(days=30), date_to=as_of)
    sent = recent.filter(pl.col("status").is_in(["sent", "retried"]))
    if sent.height == 0:
        st.info(t("reminders.sent.none"))
    else:
        show_table(
            log_table(sent),
            money=(),
            key="reminders_sent",
            file_name=f"reminders_sent_{as_of.isoformat()}.xlsx",
            language=language,
            labels=LOG_LABELS,
        )

with failures_tab:
    st.caption(t("reminders.failures.caption"))
    if failures.height == 0:
        st.success(t("reminders.failures.none"))
    else:
        show_table(
            log_table(failures),
            money=(),
            key="reminders_failures",
            file_name="reminders_failures.xlsx",
            language=language,
            labels=LOG_LABELS,
            opens_card=failures["counterparty_id"],
        )


# ------------------------------------------------------------------------------------------ rules


def rules_form(current: ReminderSettings) -> None:
    options = loaders.filter_options(scope=scope)
    names = dict(zip(options["counterparties"]["counterparty_id"], options["counterparties"]["name"], strict=True))
    groups = sorted({g for g in options["counterparties"]["group"].to_list() if g} | set(current.rules.daily_groups))
    rules = current.rules
    with st.form("reminder_rules"):
        left, right = st.columns(2)
        before_days = left.number_input(t("reminders.rules.before_days"), 0, 60, rules.before_days)
        on_overdue = left.toggle(t("reminders.rules.on_overdue"), rules.on_overdue)
        every_days = left.number_input(t("reminders.rules.every_days"), 1, 90, rules.every_days)
        max_reminders = left.number_input(t("reminders.rules.max_reminders"), 0, 1000, rules.max_reminders)
        daily_groups = right.multiselect(
            t("reminders.rules.daily_groups"), groups, list(rules.daily_groups), placeholder=t("reminders.rules.choose")
        )
        opt_out_choices = sorted(set(names) | set(rules.opt_out))
        opt_out = right.multiselect(
            t("reminders.rules.opt_out"),
            opt_out_choices,
            list(rules.opt_out),
            placeholder=t("reminders.rules.choose"),
            format_func=lambda cid: f"{names.get(cid, cid)} ({cid})",
        )
        mail_language = right.segmented_control(
            t("reminders.rules.language"),
            LANGUAGES,
            default=current.language,
            format_func=lambda code: {"ru": "Русский", "en": "English"}[code],
        )
        attach = right.segmented_control(
            t("reminders.rules.attach_act"),
            ("", "xlsx", "pdf"),
            default=current.attach_act,
            format_func=lambda v: v.upper() if v else t("reminders.rules.attach.none"),
        )
        st.markdown(t("reminders.rules.groups"))
        own = pl.DataFrame(
            [(g.group, g.before_days, g.on_overdue, g.every_days, g.max_reminders) for g in rules.groups if g.group],
            schema={
                "group": pl.String,
                "before_days": pl.Int64,
                "on_overdue": pl.Boolean,
                "every_days": pl.Int64,
                "max_reminders": pl.Int64,
            },
            orient="row",
        )
        edited = st.data_editor(
            own,
            num_rows="dynamic",
            hide_index=True,
            key="reminders_groups",
            column_config={
                "group": st.column_config.SelectboxColumn(t("col.group"), options=groups, required=True),
                "before_days": st.column_config.NumberColumn(t("reminders.rules.g_before"), min_value=0, step=1),
                "on_overdue": st.column_config.CheckboxColumn(t("reminders.rules.g_on_overdue")),
                "every_days": st.column_config.NumberColumn(t("reminders.rules.g_every"), min_value=1, step=1),
                "max_reminders": st.column_config.NumberColumn(t("reminders.rules.g_max"), min_value=0, step=1),
            },
        )
        st.caption(t("reminders.rules.fields", fields=", ".join("{" + name + "}" for name in FIELDS)))
        texts = {}
        for code in LANGUAGES:
            label = {"ru": "Русский", "en": "English"}[code]
            texts[f"subject_{code}"] = st.text_input(
                t("reminders.rules.subject", name=label), current.templates[code].subject
            )
            texts[f"body_{code}"] = st.text_area(
                t("reminders.rules.body", name=label), current.templates[code].body, height=260
            )
        saved = st.form_submit_button(t("reminders.rules.save"), type="primary")
    if saved:
        values = {
            **overrides_of(current),
            "before_days": int(before_days),
            "on_overdue": bool(on_overdue),
            "every_days": int(every_days),
            "max_reminders": int(max_reminders),
            "daily_groups": list(daily_groups),
            "opt_out": list(opt_out),
            "language": mail_language or current.language,
            "attach_act": attach or "",
            "groups": group_values(edited),
            **texts,
        }
        try:
            actions.save_reminder_rules(user, values)
        except ValueError as error:
            st.error(t("reminders.rules.invalid", error=error))
        else:
            st.session_state["reminders_saved"] = True
            st.rerun()


with rules_tab:
    require(user.may_load, language)
    from_page = loaders.uncached_rules_saved_on_page()
    st.caption(t("reminders.rules.source.page" if from_page else "reminders.rules.source.file"))
    if st.session_state.pop("reminders_saved", False):
        st.success(t("reminders.rules.saved"))
    rules_form(settings)
    if from_page and st.button(t("reminders.rules.reset"), key="reminders_reset"):
        actions.reset_reminder_rules(user)
        st.rerun()
