--
-- PostgreSQL database dump
--

\restrict K8O65J3R79dpTc6OMC8wQpGtbJcnBPGrxopjPMRBIuj8oVssINqXS8Ec83h3WDP

-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: allocations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.allocations (
    payment_id character varying(128) NOT NULL,
    shipment_id character varying(128) NOT NULL,
    amount bigint NOT NULL,
    row_hash character varying(16) NOT NULL,
    load_id integer NOT NULL
);


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    audit_id integer NOT NULL,
    at timestamp without time zone NOT NULL,
    user_name text NOT NULL,
    role character varying(16) DEFAULT ''::character varying NOT NULL,
    source character varying(8) NOT NULL,
    action character varying(32) NOT NULL,
    subject text DEFAULT ''::text NOT NULL,
    detail text DEFAULT ''::text NOT NULL,
    rows bigint
);


--
-- Name: audit_log_audit_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.audit_log_audit_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_audit_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.audit_log_audit_id_seq OWNED BY public.audit_log.audit_id;


--
-- Name: calendar_overrides; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.calendar_overrides (
    day date NOT NULL,
    kind character varying(8) NOT NULL,
    row_hash character varying(16) NOT NULL,
    load_id integer NOT NULL
);


--
-- Name: contracts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contracts (
    contract_id character varying(64) NOT NULL,
    counterparty_id character varying(64) NOT NULL,
    number text DEFAULT ''::text NOT NULL,
    contract_date date,
    currency character varying(3) DEFAULT 'RUB'::character varying NOT NULL,
    terms_days integer DEFAULT 0 NOT NULL,
    terms_basis character varying(8) DEFAULT 'calendar'::character varying NOT NULL,
    credit_limit bigint,
    row_hash character varying(16) NOT NULL,
    load_id integer NOT NULL
);


--
-- Name: counterparties; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.counterparties (
    counterparty_id character varying(64) NOT NULL,
    name text NOT NULL,
    inn character varying(12) DEFAULT ''::character varying NOT NULL,
    kpp character varying(9) DEFAULT ''::character varying NOT NULL,
    manager text DEFAULT ''::text NOT NULL,
    email text DEFAULT ''::text NOT NULL,
    group_name text DEFAULT ''::text NOT NULL,
    row_hash character varying(16) NOT NULL,
    load_id integer NOT NULL
);


--
-- Name: documents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.documents (
    doc_pk integer NOT NULL,
    kind character varying(16) NOT NULL,
    document_id character varying(128) NOT NULL,
    counterparty_id character varying(64),
    contract_id character varying(64),
    currency character varying(3) NOT NULL,
    doc_date date NOT NULL,
    side smallint NOT NULL,
    amount bigint NOT NULL,
    due_date date,
    own_due_date date,
    settled_date date,
    number text DEFAULT ''::text NOT NULL,
    shipment_id character varying(128),
    purpose text DEFAULT ''::text NOT NULL,
    vat bigint,
    warehouse text DEFAULT ''::text NOT NULL,
    payer_inn character varying(12) DEFAULT ''::character varying NOT NULL,
    payer_name text DEFAULT ''::text NOT NULL,
    source_file text DEFAULT ''::text NOT NULL,
    source_line integer,
    row_hash character varying(16) NOT NULL,
    load_id integer NOT NULL
);


--
-- Name: documents_doc_pk_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.documents_doc_pk_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: documents_doc_pk_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.documents_doc_pk_seq OWNED BY public.documents.doc_pk;


--
-- Name: flows; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.flows (
    counterparty_id character varying(64) NOT NULL,
    currency character varying(3) NOT NULL,
    kind character varying(2) NOT NULL,
    day date NOT NULL,
    due_date date,
    amount bigint NOT NULL
);


--
-- Name: load_files; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.load_files (
    load_id integer NOT NULL,
    path text NOT NULL,
    sha256 character varying(64) NOT NULL,
    size_bytes bigint NOT NULL,
    entity character varying(32) NOT NULL,
    rows_read integer DEFAULT 0 NOT NULL,
    message text DEFAULT ''::text NOT NULL
);


--
-- Name: load_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.load_runs (
    load_id integer NOT NULL,
    started_at timestamp without time zone NOT NULL,
    finished_at timestamp without time zone,
    user_name text DEFAULT ''::text NOT NULL,
    host text DEFAULT ''::text NOT NULL,
    command text DEFAULT ''::text NOT NULL,
    status character varying(16) NOT NULL,
    duration_ms bigint,
    counts text DEFAULT '{}'::text NOT NULL,
    message text DEFAULT ''::text NOT NULL
);


--
-- Name: load_runs_load_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.load_runs_load_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: load_runs_load_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.load_runs_load_id_seq OWNED BY public.load_runs.load_id;


--
-- Name: matches; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.matches (
    match_id integer NOT NULL,
    counterparty_id character varying(64) NOT NULL,
    debit_pk integer NOT NULL,
    credit_pk integer NOT NULL,
    amount bigint NOT NULL,
    match_date date NOT NULL
);


--
-- Name: matches_match_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.matches_match_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: matches_match_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.matches_match_id_seq OWNED BY public.matches.match_id;


--
-- Name: meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.meta (
    key character varying(64) NOT NULL,
    value text NOT NULL
);


--
-- Name: rejects; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rejects (
    reject_id integer NOT NULL,
    load_id integer NOT NULL,
    kind character varying(16) NOT NULL,
    entity character varying(32) DEFAULT ''::character varying NOT NULL,
    file text NOT NULL,
    line integer,
    column_name text DEFAULT ''::text NOT NULL,
    value text DEFAULT ''::text NOT NULL,
    reason text NOT NULL,
    record_key text DEFAULT ''::text NOT NULL,
    raw text DEFAULT ''::text NOT NULL
);


--
-- Name: rejects_reject_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.rejects_reject_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: rejects_reject_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.rejects_reject_id_seq OWNED BY public.rejects.reject_id;


--
-- Name: reminder_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.reminder_log (
    day date NOT NULL,
    counterparty_id character varying(64) NOT NULL,
    rule character varying(8) NOT NULL,
    status character varying(8) NOT NULL,
    documents text DEFAULT '[]'::text NOT NULL,
    recipients text DEFAULT ''::text NOT NULL,
    subject text DEFAULT ''::text NOT NULL,
    message_id text DEFAULT ''::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    recorded_at timestamp without time zone,
    sent_at timestamp without time zone,
    error text DEFAULT ''::text NOT NULL,
    user_name text DEFAULT ''::text NOT NULL
);


--
-- Name: shipment_checks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.shipment_checks (
    doc_pk integer NOT NULL,
    counterparty_id character varying(64) NOT NULL,
    doc_date date NOT NULL,
    oldest_due date NOT NULL,
    currency character varying(3),
    overdue bigint NOT NULL,
    contract_balance bigint
);


--
-- Name: audit_log audit_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log ALTER COLUMN audit_id SET DEFAULT nextval('public.audit_log_audit_id_seq'::regclass);


--
-- Name: documents doc_pk; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents ALTER COLUMN doc_pk SET DEFAULT nextval('public.documents_doc_pk_seq'::regclass);


--
-- Name: load_runs load_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.load_runs ALTER COLUMN load_id SET DEFAULT nextval('public.load_runs_load_id_seq'::regclass);


--
-- Name: matches match_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matches ALTER COLUMN match_id SET DEFAULT nextval('public.matches_match_id_seq'::regclass);


--
-- Name: rejects reject_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rejects ALTER COLUMN reject_id SET DEFAULT nextval('public.rejects_reject_id_seq'::regclass);


--
-- Data for Name: allocations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.allocations (payment_id, shipment_id, amount, row_hash, load_id) FROM stdin;
P0000024	S0000001	10823184	efdfbd4be02912ee	1
P0000028	S0000005	8262379	b26d01a9cbad527c	1
P0000029	S0000003	1875782	632d5a7079719a3e	1
\.


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.audit_log (audit_id, at, user_name, role, source, action, subject, detail, rows) FROM stdin;
1	2026-12-06 07:14:00	root	cfo	cli	export	aging as_of=2025-06-30 by=contract	aging.csv	5
\.


--
-- Data for Name: calendar_overrides; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.calendar_overrides (day, kind, row_hash, load_id) FROM stdin;
2024-07-12	holiday	848bd4081c98537b	1
2024-09-07	workday	15ffe4186c3b4a91	1
\.


--
-- Data for Name: contracts; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.contracts (contract_id, counterparty_id, number, contract_date, currency, terms_days, terms_basis, credit_limit, row_hash, load_id) FROM stdin;
C00001	K0001	Д-0017/23	2023-04-01	RUB	0	calendar	10000000	dabfcaa2156ec98c	1
C00002	K0001	Д-0038/24	2024-01-26	RUB	30	calendar	10000000	b4b1c3d9c572ab3a	1
C00003	K0001	Д-0054/24	2024-12-30	USD	30	working	100000	a697ef325e146f29	1
C00004	K0002	Д-0007/21	2021-01-27	RUB	0	calendar	\N	b69edf73d80deff0	1
C00005	K0002	Д-0029/24	2024-01-22	RUB	0	calendar	\N	990d54419468e277	1
C00006	K0002	Д-0038/25	2025-05-31	RUB	0	calendar	\N	07e7640d82971426	1
C00007	K0003	Д-0046/24	2024-05-17	RUB	14	calendar	10000000	12eab496e21dd4eb	1
C00008	K0003	Д-0032/25	2025-01-12	RUB	0	calendar	10000000	27e13af16b5aaddc	1
C00009	K0004	Д-0013/21	2021-07-23	RUB	30	working	10000000	fb9feaf6f91aa033	1
C00010	K0004	Д-0015/24	2024-01-13	RUB	14	working	10000000	d35b94ec8b5467ae	1
C00011	K0005	Д-0015/23	2023-03-16	RUB	0	calendar	10000000	3d125fab2496a2b3	1
C00012	K0005	Д-0036/24	2024-01-25	RUB	45	calendar	10000000	55eaef0a5fc85b32	1
C00013	K0005	Д-0051/24	2024-10-12	RUB	0	calendar	\N	f476d9267b5b03c2	1
C00014	K0006	Д-0010/21	2021-05-07	RUB	14	calendar	10000000	9d46936dc1b9f26f	1
C00015	K0006	Д-0041/24	2024-01-26	RUB	30	working	10000000	8c0e86546c46b4a5	1
C00016	K0006	Д-0047/24	2024-07-03	RUB	0	calendar	\N	2a6a2ac9140ba6e5	1
C00017	K0007	Д-0017/22	2022-01-24	RUB	30	calendar	10000000	16bdf926cf0fc89d	1
C00018	K0007	Д-0033/24	2024-01-24	RUB	14	working	10000000	b8ff57509ec3f748	1
C00019	K0008	Д-0021/20	2020-10-22	RUB	30	working	10000000	a734cb072b1d2f87	1
C00020	K0008	Д-0023/24	2024-01-16	RUB	30	calendar	10000000	28a6f4fd8b9d16d7	1
C00021	K0009	Д-0030/22	2022-09-03	RUB	30	working	10000000	3dcec641b7aca168	1
C00022	K0009	Д-0014/24	2024-01-11	RUB	14	calendar	10000000	1f8ec46ea0085884	1
C00023	K0009	Д-0022/23	2023-08-22	RUB	45	calendar	10000000	0dfff963309f7102	1
C00024	K0010	Д-0024/20	2020-11-18	RUB	0	calendar	\N	e8709fb8545a14ef	1
C00025	K0010	Д-0042/24	2024-01-27	RUB	0	calendar	\N	d336d33bf2a4176e	1
C00026	K0011	Д-0011/21	2021-05-23	RUB	30	calendar	10000000	5b22400bc8c7e504	1
C00027	K0011	Д-0031/24	2024-01-23	RUB	45	working	10000000	23e97550ebd674cd	1
C00028	K0012	Д-0028/22	2022-08-11	RUB	30	working	10000000	bc188a995006c221	1
C00029	K0012	Д-0024/24	2024-01-18	RUB	14	calendar	10000000	f052442b722e2176	1
C00030	K0013	Д-0023/23	2023-11-29	RUB	30	working	10000000	6480787252f11c8d	1
C00031	K0013	Д-0033/25	2025-01-26	RUB	30	working	10000000	ed7dbe0b0b189703	1
C00032	K0014	Д-0024/22	2022-06-26	RUB	14	calendar	10000000	a0f53705c18563f6	1
C00033	K0014	Д-0043/24	2024-01-27	RUB	30	calendar	10000000	a240c3ba849ddf0b	1
C00034	K0014	Д-0044/24	2024-03-01	RUB	14	calendar	10000000	fc1a7118480fa543	1
C00035	K0015	Д-0022/22	2022-06-08	RUB	14	calendar	10000000	214f9c3181ad55cc	1
C00036	K0015	Д-0016/24	2024-01-14	RUB	30	calendar	10000000	d2567aa20c4e2052	1
C00037	K0016	Д-0025/22	2022-07-27	RUB	45	calendar	25000000	8523390063658d5a	1
C00038	K0016	Д-0012/24	2024-01-10	RUB	30	calendar	20000000	2cb87173644b17d3	1
C00039	K0016	Д-0048/24	2024-09-08	RUB	60	calendar	20000000	40c6955b7200108d	1
C00040	K0017	Д-0014/23	2023-01-04	RUB	30	calendar	10000000	65b2cb0ded4c9fb3	1
C00041	K0017	Д-0017/24	2024-01-14	RUB	30	calendar	10000000	a6991a8884771a92	1
C00042	K0018	Д-0008/21	2021-04-01	RUB	30	working	\N	89814fb4c17166c5	1
C00043	K0018	Д-0020/24	2024-01-14	RUB	14	calendar	10000000	90151b3396472b4e	1
C00044	K0018	Д-0019/23	2023-08-08	RUB	0	calendar	10000000	58911246d09c999d	1
C00045	K0019	Д-0020/22	2022-05-10	RUB	0	calendar	10000000	db5b4e55ef77126c	1
C00046	K0019	Д-0027/24	2024-01-18	RUB	14	working	10000000	452a9c0298dcb91b	1
C00047	K0019	Д-0035/25	2025-03-07	RUB	14	calendar	\N	9deb27d0fd0d9add	1
C00048	K0020	Д-0019/22	2022-04-16	RUB	30	calendar	10000000	34649254e94e42a0	1
C00049	K0020	Д-0028/24	2024-01-19	RUB	30	calendar	10000000	fdeac0dcbf28f95a	1
C00050	K0020	Д-0021/24	2024-01-15	RUB	14	calendar	10000000	a1d4b8dcb8dac9a8	1
\.


--
-- Data for Name: counterparties; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.counterparties (counterparty_id, name, inn, kpp, manager, email, group_name, row_hash, load_id) FROM stdin;
K0001	ООО «Дельта-Групп»	7830767503	783001001	Фролова Валентина Игоревна	opt@delta-grupp.ru	Опт	2d8263786fd8cf9e	1
K0002	ООО «Континент-Фуд»	2305731489	230501001	Соловьева Валентина Владимировна	info@kontinent-fud.ru	Опт	8ccaf38168bb0048	1
K0003	ООО «Изумруд-Снабжение»	5023220266	502301001	Фролова Валентина Игоревна	opt@izumrud-snabzhenie.ru	Розница	725f3b07e314fab7	1
K0004	ООО «Хлебосол-Фуд»	5415197811	541501001	Соловьева Валентина Владимировна	zakaz@khlebosol-fud.ru	Розница	ebb2cbe8c4961a08	1
K0005	ООО «Меридиан Плюс»	1626521756	162601001	Фролова Валентина Игоревна		Опт	40f2440806c64947	1
K0006	ООО «Магнат»	1610831537	161001001	Зайцев Павел Александрович	buh@magnat.ru	Опт	fcb6fdd793860009	1
K0007	ООО «Лидер-Опт»	7706912516	770601001	Фролова Валентина Игоревна	buh@lider-opt.ru	Опт	1ebbb33abf878784	1
K0008	ООО «Праймснаб»	7431339707	743101001	Сергеева Елена Александровна	buh@praymsnab.ru	HoReCa	2dd5c5625e0edd64	1
K0009	ООО «Элита Групп»	7808509264	780801001	Соловьева Валентина Владимировна	opt@elita-grupp.ru	Опт	6c9ca3cdd781d2ed	1
K0010	ООО «Бриз»	7407690209	740701001	Сергеева Елена Александровна	office@briz.ru; buh@briz.ru	Опт	df49f4ee401e1fac	1
K0011	ООО «Юнона-Плюс»	7733171391	773301001	Фролова Валентина Игоревна	office@yunona-plyus.ru	Опт	3567c570dc036bae	1
K0012	ИП Королев М.А.	781804424844		Зайцев Павел Александрович	korolev.m@mail.ru	Розница	43ad1d8afaff64d4	1
K0013	ООО «Садкологистик»	7817733368	781701001	Сергеева Елена Александровна	office@sadkologistik.ru	Опт	5baa1dd3b6616079	1
K0014	ООО «Меридиан-Логистик»	7715211637	771501001	Сергеева Елена Александровна	finance@meridian-logistik.ru	Опт	194ac29487b2d2ca	1
K0015	ООО «ТД Континент»	7712354475	771201001	Сергеева Елена Александровна		Розница	6800a9eeee3b2362	1
K0016	АО «Кристалл-Маркет»	7706797158	770601001	Сергеева Елена Александровна	buh@kristall-market.ru	Сети	439a64e3ce19aa82	1
K0017	ИП Попова Е.В.	773479639110		Сергеева Елена Александровна	popova.e@yandex.ru	Розница	451e708ee305f473	1
K0018	ООО «Ладогасервис»	7414300890	741401001	Сергеева Елена Александровна	finance@ladogaservis.ru	Опт	510318e71774be99	1
K0019	ИП Козлова Н.А.	522257364835		Сергеева Елена Александровна	kozlova.n@yandex.ru	Розница	6ecbe833b64ef0d5	1
K0020	АО «Альфа-Продукт»	7820398776	782001001	Фролова Валентина Игоревна	finance@alfa-produkt.ru	Опт	95128da08f7c2155	1
\.


--
-- Data for Name: documents; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.documents (doc_pk, kind, document_id, counterparty_id, contract_id, currency, doc_date, side, amount, due_date, own_due_date, settled_date, number, shipment_id, purpose, vat, warehouse, payer_inn, payer_name, source_file, source_line, row_hash, load_id) FROM stdin;
1	opening	OB00001	K0001	C00001	RUB	2023-06-30	-1	6962278	\N	\N	\N	Аванс-05858	\N		\N				/tmp/wb/src/opening_balances.csv	2	f20497ed40030989	1
13	opening	OB00013	K0010	C00024	RUB	2023-06-30	-1	9076728	\N	\N	\N	Аванс-02053	\N		\N				/tmp/wb/src/opening_balances.csv	14	9b414f8be459fd4c	1
24	opening	OB00024	K0018	C00042	RUB	2023-05-05	1	10985135	2023-06-20	2023-06-20	\N	УПД-012853	\N		\N				/tmp/wb/src/opening_balances.csv	25	4e9c377d7d845f49	1
30	shipment	S0000002	K0011	C00026	RUB	2023-08-25	1	9971666	2023-09-25	\N	\N	УПД-000002	\N		1661944	Склад Москва (Подольск)			/tmp/wb/src/shipments_2023.csv	3	3fd7080b1f7b7499	1
51	payment	BANK-20250609-852-da22991f31	\N	\N	RUB	2025-06-09	-1	17699499	\N	\N	\N	852	\N	Оплата по счету № 110 от 01.06.2025 за товар, в т.ч. НДС 20% - 29499.17	\N		7717555190	ООО «Бриз-Логистик»	/tmp/wb/src/bank_statement_2025-06.txt	108	99a5c01f4d2385bf	1
52	payment	BANK-20250610-555-2dac3a4cff	\N	\N	RUB	2025-06-10	-1	27722044	\N	\N	\N	555	\N	Оплата по счету № 203 от 01.06.2025 за товар, в т.ч. НДС 20% - 46203.41	\N		503295230849	ИП Соколов Александр Дмитриевич	/tmp/wb/src/bank_statement_2025-06.txt	137	0cadb9daf7396c91	1
54	payment	BANK-20250620-402-0938d89238	\N	\N	RUB	2025-06-20	-1	24455226	\N	\N	\N	402	\N	Оплата по счету № 800 от 16.06.2025 за товар, в т.ч. НДС 20% - 40758.71	\N		7814940172	ООО «Бриз-Фуд»	/tmp/wb/src/bank_statement_2025-06.txt	224	2f897e9cdc0f2c99	1
81	payment	P0000027	K0002	\N	RUB	2023-10-12	-1	23781490	\N	\N	\N	359	\N	Предоплата по счету № 4 от 10.10.2023, в т.ч. НДС 20% - 39635.82	\N				/tmp/wb/src/payments.csv	28	c6f8da0a28d5a43f	1
2	opening	OB00002	K0002	C00004	RUB	2023-06-30	-1	14306216	\N	\N	2023-10-13	Аванс-09293	\N		\N				/tmp/wb/src/opening_balances.csv	3	5fcf2353f662aaf2	1
32	shipment	S0000004	K0002	C00004	RUB	2023-10-13	1	23781490	2023-10-13	\N	2023-10-13	УПД-000004	\N		3963582	Склад Ростов-на-Дону			/tmp/wb/src/shipments_2023.csv	5	a7063252824f2081	1
35	shipment	S0000007	K0002	C00005	RUB	2024-02-06	1	15778397	2024-02-06	\N	2024-02-06	УПД-000001	\N		2629733	Склад Санкт-Петербург (Шушары)			/tmp/wb/src/shipments_2024.csv	2	abed17f167917609	1
37	shipment	S0000010	K0002	C00005	RUB	2024-06-07	1	14308401	2024-06-07	\N	2024-06-07	УПД-000004	\N		2384734	Склад Ростов-на-Дону			/tmp/wb/src/shipments_2024.csv	5	903acf755e69be3c	1
38	shipment	S0000011	K0002	C00004	RUB	2024-10-03	1	10236125	2024-10-03	\N	2024-10-03	УПД-000005	\N		1706021	Склад Ростов-на-Дону			/tmp/wb/src/shipments_2024.csv	6	905e528333474d76	1
49	return	R0000001	K0002	C00004	RUB	2023-10-14	-1	935405	\N	\N	2024-10-03	ВТ-000001	S0000004		\N				/tmp/wb/src/returns.csv	2	a7a09813e3c65a3c	1
85	payment	P0000031	K0002	C00005	RUB	2024-02-05	-1	15778397	\N	\N	2024-02-06	370	\N	Предоплата по счету № 1 от 03.02.2024 по договору № Д-0029/24 от 22.01.2024, в т.ч. НДС 20% - 26297.33	\N				/tmp/wb/src/payments.csv	32	a4b094771b060806	1
88	payment	P0000034	K0002	C00005	RUB	2024-06-06	-1	14308401	\N	\N	2024-06-07	379	\N	Предоплата по счету № 4 от 04.06.2024 по договору № Д-0029/24 от 22.01.2024, в т.ч. НДС 20% - 23847.34	\N				/tmp/wb/src/payments.csv	35	234ed26c9c052756	1
3	opening	OB00003	K0004	C00009	RUB	2023-05-12	1	2664183	2023-06-26	2023-06-26	2023-07-03	УПД-031029	\N		\N				/tmp/wb/src/opening_balances.csv	4	10174a081c0e0cda	1
4	opening	OB00004	K0004	C00009	RUB	2023-06-18	1	562906	2023-07-28	2023-07-28	2023-07-28	УПД-012651	\N		\N				/tmp/wb/src/opening_balances.csv	5	72eeb42f3737e73e	1
55	payment	P0000001	K0004	C00009	RUB	2023-07-03	-1	2664183	\N	\N	2023-07-03	2293	\N	Оплата задолженности по договору № Д-0013/21 от 23.07.2021 за товар по УПД-031029, в т.ч. НДС 20% - 4440.31	\N				/tmp/wb/src/payments.csv	2	89e4c88514b1f0af	1
73	payment	P0000019	K0004	C00009	RUB	2023-07-28	-1	562906	\N	\N	2023-07-28	2297	\N	Оплата задолженности по договору № Д-0013/21 от 23.07.2021 за товар по УПД-012651, в т.ч. НДС 20% - 938.18	\N				/tmp/wb/src/payments.csv	20	4b75a8305cb546f4	1
5	opening	OB00005	K0005	C00011	RUB	2023-05-14	1	2159164	2023-05-14	2023-05-14	2023-07-06	УПД-023788	\N		\N				/tmp/wb/src/opening_balances.csv	6	98749d97abccd5d0	1
33	shipment	S0000005	K0005	C00011	RUB	2023-12-12	1	8262379	2023-12-12	\N	2023-12-18	УПД-000005	\N		1377063	Склад Казань			/tmp/wb/src/shipments_2023.csv	6	3499277c8238b099	1
64	payment	P0000010	K0005	C00011	RUB	2023-07-06	-1	2159164	\N	\N	2023-07-06	323	\N	Оплата задолженности по договору № Д-0015/23 от 16.03.2023 за товар по УПД-023788, в т.ч. НДС 20% - 3598.61	\N				/tmp/wb/src/payments.csv	11	561ba28ae9426795	1
82	payment	P0000028	K0005	C00011	RUB	2023-12-18	-1	8262379	\N	\N	2023-12-18	331	\N	Оплата по договору № Д-0015/23 от 16.03.2023 за товар по УПД-000005 от 12.12.2023, в т.ч. НДС 20% - 13770.63	\N				/tmp/wb/src/payments.csv	29	392fd7c4535080c6	1
6	opening	OB00006	K0007	C00017	RUB	2023-05-03	1	6879848	2023-06-02	2023-06-02	2023-07-03	УПД-051761	\N		\N				/tmp/wb/src/opening_balances.csv	7	948492359028b72d	1
7	opening	OB00007	K0007	C00017	RUB	2023-05-10	1	15227813	2023-06-09	2023-06-09	2023-07-03	УПД-045359	\N		\N				/tmp/wb/src/opening_balances.csv	8	dc6bd8459439b22f	1
8	opening	OB00008	K0007	C00017	RUB	2023-06-14	1	3801267	2023-07-14	2023-07-14	2023-07-17	УПД-000571	\N		\N				/tmp/wb/src/opening_balances.csv	9	bb1c35f5099a71a8	1
36	shipment	S0000009	K0007	C00018	RUB	2024-03-07	1	4794862	2024-03-28	\N	2024-03-29	УПД-000003	\N		799144	Склад Москва (Подольск)			/tmp/wb/src/shipments_2024.csv	4	356bd15ef85bc0a7	1
43	shipment	S0000019	K0007	C00018	RUB	2024-12-13	1	14487987	2025-01-13	\N	2025-01-10	УПД-000013	\N		2414665	Склад Новосибирск			/tmp/wb/src/shipments_2024.csv	14	5f0155a83a62f18b	1
56	payment	P0000002	K0007	C00017	RUB	2023-07-03	-1	6879848	\N	\N	2023-07-03	911	\N	Оплата задолженности по договору № Д-0017/22 от 24.01.2022 за товар по УПД-051761, в т.ч. НДС 20% - 11466.41	\N				/tmp/wb/src/payments.csv	3	5b27ca85101edd44	1
57	payment	P0000003	K0007	C00017	RUB	2023-07-03	-1	15227813	\N	\N	2023-07-03	917	\N	Оплата задолженности по договору № Д-0017/22 от 24.01.2022 за товар по УПД-045359, в т.ч. НДС 20% - 25379.69	\N				/tmp/wb/src/payments.csv	4	f62c044b4a00734d	1
66	payment	P0000012	K0007	C00017	RUB	2023-07-17	-1	3801267	\N	\N	2023-07-17	924	\N	Оплата задолженности по договору № Д-0017/22 от 24.01.2022 за товар по УПД-000571, в т.ч. НДС 20% - 6335.45	\N				/tmp/wb/src/payments.csv	13	1fafc9184d4d1b91	1
87	payment	P0000033	K0007	C00018	RUB	2024-03-29	-1	4794862	\N	\N	2024-03-29	931	\N	Оплата по договору № Д-0033/24 от 24.01.2024 за товар по УПД-000003 от 07.03.2024, в т.ч. НДС 20% - 7991.44	\N				/tmp/wb/src/payments.csv	34	4743158948d35f30	1
92	payment	P0000038	K0007	C00018	RUB	2025-01-10	-1	14487987	\N	\N	2025-01-10	939	\N	Оплата по договору № Д-0033/24 от 24.01.2024 за товар по УПД-000013 от 13.12.2024, в т.ч. НДС 20% - 24146.65	\N				/tmp/wb/src/payments.csv	39	a0904b603d1df9b2	1
9	opening	OB00009	K0008	C00019	RUB	2023-06-26	1	825881	2023-08-07	2023-08-07	2023-08-14	УПД-006320	\N		\N				/tmp/wb/src/opening_balances.csv	10	b27047646e05e0bb	1
76	payment	P0000022	K0008	C00019	RUB	2023-08-14	-1	825881	\N	\N	2023-08-14	913	\N	Оплата задолженности по договору № Д-0021/20 от 22.10.2020 за товар по УПД-006320, в т.ч. НДС 20% - 1376.47	\N				/tmp/wb/src/payments.csv	23	d5b5fe42bf07ec03	1
10	opening	OB00010	K0009	C00021	RUB	2023-06-12	1	6232623	2023-07-24	2023-07-24	2023-07-24	УПД-024444	\N		\N				/tmp/wb/src/opening_balances.csv	11	104a2fbd07f0c49d	1
11	opening	OB00011	K0009	C00021	RUB	2023-06-14	1	13816738	2023-07-26	2023-07-26	2023-07-27	УПД-016216	\N		\N				/tmp/wb/src/opening_balances.csv	12	03045d4840356990	1
12	opening	OB00012	K0009	C00021	RUB	2023-06-15	1	12335256	2023-07-27	2023-07-27	2023-08-01	УПД-055108	\N		\N				/tmp/wb/src/opening_balances.csv	13	6d0391ffb575c804	1
68	payment	P0000014	K0009	C00021	RUB	2023-07-24	-1	13816738	\N	\N	2023-07-24	2795	\N	Оплата задолженности по договору № Д-0030/22 от 03.09.2022 за товар по УПД-016216, в т.ч. НДС 20% - 23027.90	\N				/tmp/wb/src/payments.csv	15	bf259b6bd46fded6	1
71	payment	P0000017	K0009	\N	RUB	2023-07-27	-1	6232623	\N	\N	2023-07-27	2800	\N	Оплата задолженности за товар по УПД-024444, в т.ч. НДС 20% - 10387.71	\N				/tmp/wb/src/payments.csv	18	6a1851de01e8226e	1
74	payment	P0000020	K0009	C00021	RUB	2023-08-01	-1	12335256	\N	\N	2023-08-01	2801	\N	Оплата задолженности по договору № Д-0030/22 от 03.09.2022 за товар по УПД-055108, в т.ч. НДС 20% - 20558.76	\N				/tmp/wb/src/payments.csv	21	c2661414e4ae97e4	1
14	opening	OB00014	K0011	C00026	RUB	2023-05-19	1	9331082	2023-06-19	2023-06-19	2023-07-25	УПД-014264	\N		\N				/tmp/wb/src/opening_balances.csv	15	af8df065acc4de6c	1
15	opening	OB00015	K0011	C00026	RUB	2023-06-18	1	14560147	2023-07-18	2023-07-18	2023-09-27	УПД-056763	\N		\N				/tmp/wb/src/opening_balances.csv	16	840ba034864eae75	1
16	opening	OB00016	K0011	C00026	RUB	2023-06-19	1	6700447	2023-07-19	2023-07-19	2023-10-04	УПД-050973	\N		\N				/tmp/wb/src/opening_balances.csv	17	82470c55e157dba6	1
29	shipment	S0000001	K0011	C00026	RUB	2023-07-24	1	10823184	2023-08-23	\N	2023-08-28	УПД-000001	\N		1803864	Склад Москва (Подольск)			/tmp/wb/src/shipments_2023.csv	2	d86562dc1dcd3880	1
67	payment	P0000013	K0011	C00026	RUB	2023-07-17	-1	6700447	\N	\N	2023-07-17	2646	\N	Оплата задолженности по договору № Д-0011/21 от 23.05.2021 за товар по УПД-050973, в т.ч. НДС 20% - 11167.41	\N				/tmp/wb/src/payments.csv	14	c43c50c66c65f4fa	1
70	payment	P0000016	K0011	C00026	RUB	2023-07-25	-1	14560147	\N	\N	2023-07-25	2651	\N	Оплата задолженности по договору № Д-0011/21 от 23.05.2021 за товар по УПД-056763, в т.ч. НДС 20% - 24266.91	\N				/tmp/wb/src/payments.csv	17	4320e19c78b9afb1	1
78	payment	P0000024	K0011	C00026	RUB	2023-08-28	-1	10823184	\N	\N	2023-08-28	2658	\N	Оплата по договору № Д-0011/21 от 23.05.2021 за товар по УПД-000001 от 24.07.2023, в т.ч. НДС 20% - 18038.64	\N				/tmp/wb/src/payments.csv	25	097a4df438b866cb	1
79	payment	P0000025	K0011	C00026	RUB	2023-09-27	-1	4500000	\N	\N	2023-09-27	2668	\N	Частичная оплата по договору № Д-0011/21 от 23.05.2021 за товар по УПД-000002 от 25.08.2023, в т.ч. НДС 20% - 7500.00	\N				/tmp/wb/src/payments.csv	26	ff5683cd826d1197	1
80	payment	P0000026	K0011	C00026	RUB	2023-10-04	-1	5471666	\N	\N	2023-10-04	2680	\N	Частичная оплата по договору № Д-0011/21 от 23.05.2021 за товар по УПД-000002 от 25.08.2023, в т.ч. НДС 20% - 9119.44	\N				/tmp/wb/src/payments.csv	27	88214178b5e3d928	1
17	opening	OB00017	K0012	C00028	RUB	2023-05-09	1	1292989	2023-06-21	2023-06-21	2023-08-14	УПД-031688	\N		\N				/tmp/wb/src/opening_balances.csv	18	c78061900df05992	1
77	payment	P0000023	K0012	C00028	RUB	2023-08-14	-1	1292989	\N	\N	2023-08-14	2949	\N	Оплата задолженности по договору № Д-0028/22 от 11.08.2022 за товар по УПД-031688, в т.ч. НДС 20% - 2154.98	\N				/tmp/wb/src/payments.csv	24	bb7ce042a2787300	1
18	opening	OB00018	K0014	C00032	RUB	2023-05-17	1	11919730	2023-05-31	2023-05-31	2023-07-03	УПД-003366	\N		\N				/tmp/wb/src/opening_balances.csv	19	41d900437188533a	1
19	opening	OB00019	K0014	C00032	RUB	2023-06-11	1	8096293	2023-06-26	2023-06-26	2023-07-03	УПД-050245	\N		\N				/tmp/wb/src/opening_balances.csv	20	d27b41829ab9c8ef	1
58	payment	P0000004	K0014	C00032	RUB	2023-07-03	-1	11919730	\N	\N	2023-07-03	1465	\N	Оплата задолженности по договору № Д-0024/22 от 26.06.2022 за товар по УПД-003366, в т.ч. НДС 20% - 19866.22	\N				/tmp/wb/src/payments.csv	5	ef0e6c674ede0787	1
59	payment	P0000005	K0014	C00032	RUB	2023-07-03	-1	8096293	\N	\N	2023-07-03	1473	\N	Оплата задолженности по договору № Д-0024/22 от 26.06.2022 за товар по УПД-050245, в т.ч. НДС 20% - 13493.82	\N				/tmp/wb/src/payments.csv	6	802c21f63107316f	1
31	shipment	S0000003	K0015	C00035	RUB	2023-09-28	1	1875782	2023-12-27	2023-12-27	2023-12-25	УПД-000003	\N		312630	Склад Москва (Подольск)			/tmp/wb/src/shipments_2023.csv	4	4de0875f0f060fae	1
83	payment	P0000029	K0015	\N	RUB	2023-12-25	-1	1875782	\N	\N	2023-12-25	1451	\N	Оплата за товар по УПД-000003 от 28.09.2023, в т.ч. НДС 20% - 3126.30	\N				/tmp/wb/src/payments.csv	30	f6fc0b76f34962ee	1
20	opening	OB00020	K0016	C00037	RUB	2023-06-27	1	33696684	2023-08-11	2023-08-11	2023-08-07	УПД-059625	\N		\N				/tmp/wb/src/opening_balances.csv	21	35e237aa8ac261e3	1
39	shipment	S0000015	K0016	C00039	RUB	2024-10-07	1	72348156	2024-12-06	\N	2024-12-06	УПД-000009	\N		12058026	Склад Москва (Подольск)			/tmp/wb/src/shipments_2024.csv	10	a6cd22736a3fe841	1
40	shipment	S0000016	K0016	C00038	RUB	2024-10-07	1	35988803	2024-11-06	\N	2024-11-08	УПД-000010	\N		5998134	Склад Москва (Подольск)			/tmp/wb/src/shipments_2024.csv	11	ddf0f9935ee6051e	1
41	shipment	S0000017	K0016	C00039	RUB	2024-11-22	1	10669845	2025-01-21	\N	2025-01-24	УПД-000011	\N		1778308	Склад Москва (Подольск)			/tmp/wb/src/shipments_2024.csv	12	fd4486c9664b8128	1
42	shipment	S0000018	K0016	C00038	RUB	2024-11-27	1	38180030	2024-12-27	\N	2024-12-27	УПД-000012	\N		6363338	Склад Москва (Подольск)			/tmp/wb/src/shipments_2024.csv	13	7223ed50132e7d60	1
44	shipment	S0000020	K0016	C00038	RUB	2025-02-10	1	39701170	2025-03-12	\N	2025-03-14	УПД-000001	\N		6616862	Склад Москва (Подольск)			/tmp/wb/src/shipments_2025.csv	2	68ba050b1938cd63	1
45	shipment	S0000021	K0016	C00038	RUB	2025-02-21	1	19182574	2025-03-24	\N	2025-03-21	УПД-000002	\N		3197096	Склад Москва (Подольск)			/tmp/wb/src/shipments_2025.csv	3	bcef8fef77cb51bf	1
46	shipment	S0000022	K0016	C00038	RUB	2025-03-11	1	23706586	2025-04-10	\N	2025-04-11	УПД-000003	\N		3951098	Склад Москва (Подольск)			/tmp/wb/src/shipments_2025.csv	4	cc58a8bf8b650364	1
75	payment	P0000021	K0016	\N	RUB	2023-08-07	-1	33696684	\N	\N	2023-08-07	279	\N	Оплата задолженности за товар по УПД-059625, в т.ч. НДС 20% - 56161.14	\N				/tmp/wb/src/payments.csv	22	e7bc334fb52595fe	1
89	payment	P0000035	K0016	C00038	RUB	2024-11-08	-1	35988803	\N	\N	2024-11-08	285	\N	Оплата по договору № Д-0012/24 от 10.01.2024 за товар по УПД-000010 от 07.10.2024, в т.ч. НДС 20% - 59981.34	\N				/tmp/wb/src/payments.csv	36	b0aebdd19c4b6b07	1
90	payment	P0000036	K0016	C00039	RUB	2024-12-06	-1	72348156	\N	\N	2024-12-06	297	\N	Оплата по договору № Д-0048/24 от 08.09.2024 за товар по УПД-000009 от 07.10.2024, в т.ч. НДС 20% - 120580.26	\N				/tmp/wb/src/payments.csv	37	82ccba8896d935c4	1
91	payment	P0000037	K0016	C00038	RUB	2024-12-27	-1	38180030	\N	\N	2024-12-27	306	\N	Оплата по договору № Д-0012/24 от 10.01.2024 за товар по УПД-000012 от 27.11.2024, в т.ч. НДС 20% - 63633.38	\N				/tmp/wb/src/payments.csv	38	4ed80dd416095260	1
93	payment	P0000039	K0016	\N	RUB	2025-01-24	-1	10669845	\N	\N	2025-01-24	310	\N	Оплата за товар по УПД-000011 от 22.11.2024, в т.ч. НДС 20% - 17783.08	\N				/tmp/wb/src/payments.csv	40	2044cca45562464e	1
94	payment	P0000040	K0016	\N	RUB	2025-03-14	-1	39701170	\N	\N	2025-03-14	314	\N	Оплата за товар по УПД-000001 от 10.02.2025, в т.ч. НДС 20% - 66168.62	\N				/tmp/wb/src/payments.csv	41	7fca02cbe2e9155e	1
95	payment	P0000041	K0016	C00038	RUB	2025-03-21	-1	19182574	\N	\N	2025-03-21	318	\N	Оплата по договору № Д-0012/24 от 10.01.2024 за товар по УПД-000002 от 21.02.2025, в т.ч. НДС 20% - 31970.96	\N				/tmp/wb/src/payments.csv	42	bfd4aee549788454	1
96	payment	P0000042	K0016	\N	RUB	2025-04-11	-1	23706586	\N	\N	2025-04-11	326	\N	Оплата за товар по УПД-000003 от 11.03.2025, в т.ч. НДС 20% - 39510.98	\N				/tmp/wb/src/payments.csv	43	f52b89fddea542ff	1
21	opening	OB00021	K0017	C00040	RUB	2023-06-24	1	2079283	2023-07-24	2023-07-24	2023-07-24	УПД-051915	\N		\N				/tmp/wb/src/opening_balances.csv	22	898e8d90ac71e9d8	1
69	payment	P0000015	K0017	C00040	RUB	2023-07-24	-1	2079283	\N	\N	2023-07-24	1936	\N	Оплата задолженности по договору № Д-0014/23 от 04.01.2023 за товар по УПД-051915, в т.ч. НДС 20% - 3465.47	\N				/tmp/wb/src/payments.csv	16	fe2a451dbf4226e2	1
22	opening	OB00022	K0018	C00042	RUB	2023-03-01	1	5237036	2023-04-13	2023-04-13	2023-07-06	УПД-026198	\N		\N				/tmp/wb/src/opening_balances.csv	23	771ade38230ac243	1
23	opening	OB00023	K0018	C00042	RUB	2023-03-23	1	47122526	2023-05-05	2023-05-05	2023-07-27	УПД-041965	\N		\N				/tmp/wb/src/opening_balances.csv	24	19ba5c798d6cba21	1
48	shipment	S0000024	K0018	C00043	RUB	2025-04-23	1	28660556	2025-05-07	\N	2025-06-13	УПД-000005	\N		4776759	Склад Екатеринбург			/tmp/wb/src/shipments_2025.csv	6	545fc8a3d1f6c11c	1
53	payment	BANK-20250613-1265-212fde727e	K0018	C00043	RUB	2025-06-13	-1	28660556	\N	\N	2025-06-13	1265	\N	Оплата по договору № Д-0020/24 от 14.01.2024 за товар по УПД-000005 от 23.04.2025, в т.ч. НДС 20% - 47767.59	\N		7414300890	ООО «Ладогасервис»	/tmp/wb/src/bank_statement_2025-06.txt	166	e3bce0cdd42c9606	1
65	payment	P0000011	K0018	C00042	RUB	2023-07-06	-1	5237036	\N	\N	2023-07-06	1258	\N	Оплата задолженности по договору № Д-0008/21 от 01.04.2021 за товар по УПД-026198, в т.ч. НДС 20% - 8728.39	\N				/tmp/wb/src/payments.csv	12	b67540f499e90769	1
72	payment	P0000018	K0018	C00042	RUB	2023-07-27	-1	47122526	\N	\N	2023-07-27	1260	\N	Оплата задолженности по договору № Д-0008/21 от 01.04.2021 за товар по УПД-041965, в т.ч. НДС 20% - 78537.54	\N				/tmp/wb/src/payments.csv	19	217e5fd3f342adda	1
25	opening	OB00025	K0019	C00045	RUB	2023-05-20	1	1939993	2023-05-20	2023-05-20	2023-07-04	УПД-027902	\N		\N				/tmp/wb/src/opening_balances.csv	26	851cd4352fcd154c	1
26	opening	OB00026	K0019	C00045	RUB	2023-06-01	1	2712681	2023-06-01	2023-06-01	2023-07-04	УПД-020069	\N		\N				/tmp/wb/src/opening_balances.csv	27	9e2ddf884dbd6b98	1
27	opening	OB00027	K0019	C00045	RUB	2023-06-06	1	3175125	2023-06-06	2023-06-06	2023-07-04	УПД-028728	\N		\N				/tmp/wb/src/opening_balances.csv	28	ce941ca90b17f014	1
61	payment	P0000007	K0019	C00045	RUB	2023-07-04	-1	1939993	\N	\N	2023-07-04	2792	\N	Оплата задолженности по договору № Д-0020/22 от 10.05.2022 за товар по УПД-027902, в т.ч. НДС 20% - 3233.32	\N				/tmp/wb/src/payments.csv	8	82233c361eae24e0	1
62	payment	P0000008	K0019	C00045	RUB	2023-07-04	-1	2712681	\N	\N	2023-07-04	2795	\N	Оплата задолженности по договору № Д-0020/22 от 10.05.2022 за товар по УПД-020069, в т.ч. НДС 20% - 4521.14	\N				/tmp/wb/src/payments.csv	9	a3677927aa67d42a	1
63	payment	P0000009	K0019	C00045	RUB	2023-07-04	-1	3175125	\N	\N	2023-07-04	2800	\N	Оплата задолженности по договору № Д-0020/22 от 10.05.2022 за товар по УПД-028728, в т.ч. НДС 20% - 5291.88	\N				/tmp/wb/src/payments.csv	10	ea0140d815f81597	1
28	opening	OB00028	K0020	C00048	RUB	2023-05-21	1	6719502	2023-06-20	2023-06-20	2023-07-03	УПД-005241	\N		\N				/tmp/wb/src/opening_balances.csv	29	f670d5c103191b3a	1
34	shipment	S0000006	K0020	C00048	RUB	2023-12-26	1	12699009	2024-01-25	\N	2024-02-09	УПД-000006	\N		2116502	Склад Санкт-Петербург (Шушары)			/tmp/wb/src/shipments_2023.csv	7	f8e0027dfc496114	1
47	shipment	S0000023	K0020	C00049	RUB	2025-04-11	1	27950869	2025-05-12	\N	2025-05-12	УПД-000004	\N		4658478	Склад Казань			/tmp/wb/src/shipments_2025.csv	5	c42f6975f1083ddf	1
50	adjustment	A0000001	K0020	C00049	RUB	2025-04-12	-1	480892	\N	\N	2025-04-12	КР-000001	S0000023		\N				/tmp/wb/src/adjustments.csv	2	c851e6426165bfc5	1
60	payment	P0000006	K0020	C00048	RUB	2023-07-03	-1	6719502	\N	\N	2023-07-03	1438	\N	Оплата задолженности по договору № Д-0019/22 от 16.04.2022 за товар по УПД-005241, в т.ч. НДС 20% - 11199.17	\N				/tmp/wb/src/payments.csv	7	f5d041e8b73bb752	1
84	payment	P0000030	K0020	C00048	RUB	2024-01-24	-1	7300000	\N	\N	2024-01-24	1442	\N	Частичная оплата по договору № Д-0019/22 от 16.04.2022 за товар по УПД-000006 от 26.12.2023, в т.ч. НДС 20% - 12166.67	\N				/tmp/wb/src/payments.csv	31	9f1bd7d1e02a012e	1
86	payment	P0000032	K0020	C00048	RUB	2024-02-09	-1	5399009	\N	\N	2024-02-09	1445	\N	Частичная оплата по договору № Д-0019/22 от 16.04.2022 за товар по УПД-000006 от 26.12.2023, в т.ч. НДС 20% - 8998.35	\N				/tmp/wb/src/payments.csv	33	a8b63ce71d9ed10b	1
97	payment	P0000043	K0020	C00049	RUB	2025-05-12	-1	27469977	\N	\N	2025-05-12	1456	\N	Оплата по договору № Д-0028/24 от 19.01.2024 за товар по УПД-000004 от 11.04.2025, в т.ч. НДС 20% - 45783.30	\N				/tmp/wb/src/payments.csv	44	292638f82eae40b8	1
\.


--
-- Data for Name: flows; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.flows (counterparty_id, currency, kind, day, due_date, amount) FROM stdin;
K0009	RUB	d	2023-06-14	2023-07-26	13816738
K0002	RUB	d	2024-02-06	2024-02-06	15778397
K0011	RUB	c	2023-08-28	\N	10823184
K0016	RUB	d	2024-11-22	2025-01-21	10669845
K0005	RUB	c	2023-12-18	\N	8262379
K0018	RUB	c	2025-06-13	\N	28660556
K0016	RUB	c	2025-01-24	\N	10669845
K0007	RUB	c	2023-07-17	\N	3801267
K0001	RUB	c	2023-06-30	\N	6962278
K0018	RUB	d	2023-03-01	2023-04-13	5237036
K0016	RUB	d	2024-10-07	2024-12-06	72348156
K0007	RUB	c	2025-01-10	\N	14487987
K0014	RUB	d	2023-06-11	2023-06-26	8096293
K0019	RUB	d	2023-06-01	2023-06-01	2712681
K0014	RUB	d	2023-05-17	2023-05-31	11919730
K0009	RUB	d	2023-06-12	2023-07-24	6232623
K0011	RUB	c	2023-09-27	\N	4500000
K0017	RUB	c	2023-07-24	\N	2079283
K0009	RUB	c	2023-07-27	\N	6232623
K0005	RUB	d	2023-05-14	2023-05-14	2159164
K0019	RUB	c	2023-07-04	\N	7827799
K0007	RUB	c	2024-03-29	\N	4794862
K0011	RUB	c	2023-10-04	\N	5471666
K0009	RUB	d	2023-06-15	2023-07-27	12335256
K0016	RUB	d	2025-02-10	2025-03-12	39701170
K0002	RUB	c	2024-02-05	\N	15778397
K0007	RUB	d	2024-03-07	2024-03-28	4794862
K0002	RUB	d	2023-10-13	2023-10-13	23781490
K0020	RUB	c	2025-05-12	\N	27469977
K0012	RUB	d	2023-05-09	2023-06-21	1292989
K0020	RUB	d	2025-04-11	2025-05-12	27950869
K0016	RUB	d	2024-10-07	2024-11-06	35988803
K0011	RUB	d	2023-06-19	2023-07-19	6700447
K0011	RUB	d	2023-06-18	2023-07-18	14560147
K0020	RUB	c	2024-01-24	\N	7300000
K0002	RUB	d	2024-10-03	2024-10-03	10236125
K0011	RUB	d	2023-08-25	2023-09-25	9971666
K0016	RUB	d	2024-11-27	2024-12-27	38180030
K0004	RUB	c	2023-07-28	\N	562906
K0011	RUB	d	2023-07-24	2023-08-23	10823184
K0020	RUB	c	2025-04-12	\N	480892
K0020	RUB	c	2023-07-03	\N	6719502
K0020	RUB	d	2023-05-21	2023-06-20	6719502
K0002	RUB	c	2023-10-12	\N	23781490
K0011	RUB	c	2023-07-17	\N	6700447
K0017	RUB	d	2023-06-24	2023-07-24	2079283
K0005	RUB	c	2023-07-06	\N	2159164
K0004	RUB	c	2023-07-03	\N	2664183
K0004	RUB	d	2023-05-12	2023-06-26	2664183
K0016	RUB	c	2023-08-07	\N	33696684
K0019	RUB	d	2023-05-20	2023-05-20	1939993
K0011	RUB	c	2023-07-25	\N	14560147
K0002	RUB	d	2024-06-07	2024-06-07	14308401
K0010	RUB	c	2023-06-30	\N	9076728
K0016	RUB	c	2025-03-14	\N	39701170
K0016	RUB	c	2024-12-06	\N	72348156
K0005	RUB	d	2023-12-12	2023-12-12	8262379
K0015	RUB	c	2023-12-25	\N	1875782
K0016	RUB	d	2025-02-21	2025-03-24	19182574
K0019	RUB	d	2023-06-06	2023-06-06	3175125
K0012	RUB	c	2023-08-14	\N	1292989
K0007	RUB	c	2023-07-03	\N	22107661
K0018	RUB	c	2023-07-06	\N	5237036
K0018	RUB	d	2025-04-23	2025-05-07	28660556
K0002	RUB	c	2023-10-14	\N	935405
K0020	RUB	d	2023-12-26	2024-01-25	12699009
K0018	RUB	c	2023-07-27	\N	47122526
K0011	RUB	d	2023-05-19	2023-06-19	9331082
K0004	RUB	d	2023-06-18	2023-07-28	562906
K0008	RUB	c	2023-08-14	\N	825881
K0016	RUB	d	2023-06-27	2023-08-11	33696684
K0007	RUB	d	2024-12-13	2025-01-13	14487987
K0007	RUB	d	2023-06-14	2023-07-14	3801267
K0007	RUB	d	2023-05-10	2023-06-09	15227813
K0009	RUB	c	2023-07-24	\N	13816738
K0018	RUB	d	2023-03-23	2023-05-05	47122526
K0016	RUB	c	2025-03-21	\N	19182574
K0016	RUB	c	2024-11-08	\N	35988803
K0015	RUB	d	2023-09-28	2023-12-27	1875782
K0014	RUB	c	2023-07-03	\N	20016023
K0016	RUB	c	2025-04-11	\N	23706586
K0008	RUB	d	2023-06-26	2023-08-07	825881
K0002	RUB	c	2024-06-06	\N	14308401
K0020	RUB	c	2024-02-09	\N	5399009
K0016	RUB	d	2025-03-11	2025-04-10	23706586
K0009	RUB	c	2023-08-01	\N	12335256
K0002	RUB	c	2023-06-30	\N	14306216
K0018	RUB	d	2023-05-05	2023-06-20	10985135
K0016	RUB	c	2024-12-27	\N	38180030
K0007	RUB	d	2023-05-03	2023-06-02	6879848
K0009	RUB	dm	2023-07-24	2023-07-26	7584115
K0020	RUB	dm	2023-07-03	2023-06-20	6719502
K0016	RUB	dm	2025-03-21	2025-03-24	19182574
K0016	RUB	dm	2025-01-24	2025-01-21	10669845
K0014	RUB	dm	2023-07-03	2023-05-31	11919730
K0011	RUB	dm	2023-10-04	2023-07-19	4831082
K0020	RUB	dm	2024-01-24	2024-01-25	7300000
K0018	RUB	dm	2023-07-27	2023-05-05	47122526
K0011	RUB	dm	2023-09-27	2023-07-18	2630635
K0009	RUB	dm	2023-07-24	2023-07-24	6232623
K0002	RUB	dm	2024-10-03	2024-10-03	10236125
K0011	RUB	dm	2023-07-25	2023-07-18	11929512
K0016	RUB	dm	2025-03-14	2025-03-12	39701170
K0012	RUB	dm	2023-08-14	2023-06-21	1292989
K0005	RUB	dm	2023-12-18	2023-12-12	8262379
K0014	RUB	dm	2023-07-03	2023-06-26	8096293
K0019	RUB	dm	2023-07-04	2023-05-20	1939993
K0011	RUB	dm	2023-09-27	2023-07-19	1869365
K0002	RUB	dm	2024-06-07	2024-06-07	14308401
K0004	RUB	dm	2023-07-28	2023-07-28	562906
K0002	RUB	dm	2024-02-06	2024-02-06	15778397
K0005	RUB	dm	2023-07-06	2023-05-14	2159164
K0016	RUB	dm	2023-08-07	2023-08-11	33696684
K0018	RUB	dm	2025-06-13	2025-05-07	28660556
K0007	RUB	dm	2024-03-29	2024-03-28	4794862
K0015	RUB	dm	2023-12-25	2023-12-27	1875782
K0016	RUB	dm	2024-12-06	2024-12-06	72348156
K0011	RUB	dm	2023-07-25	2023-06-19	2630635
K0011	RUB	dm	2023-08-28	2023-08-23	10823184
K0011	RUB	dm	2023-07-17	2023-06-19	6700447
K0018	RUB	dm	2023-07-06	2023-04-13	5237036
K0007	RUB	dm	2025-01-10	2025-01-13	14487987
K0002	RUB	dm	2023-10-13	2023-10-13	23781490
K0019	RUB	dm	2023-07-04	2023-06-06	3175125
K0009	RUB	dm	2023-08-01	2023-07-27	12335256
K0016	RUB	dm	2024-11-08	2024-11-06	35988803
K0004	RUB	dm	2023-07-03	2023-06-26	2664183
K0009	RUB	dm	2023-07-27	2023-07-26	6232623
K0020	RUB	dm	2025-04-12	2025-05-12	480892
K0011	RUB	dm	2023-10-04	2023-09-25	640584
K0007	RUB	dm	2023-07-03	2023-06-02	6879848
K0020	RUB	dm	2025-05-12	2025-05-12	27469977
K0008	RUB	dm	2023-08-14	2023-08-07	825881
K0016	RUB	dm	2024-12-27	2024-12-27	38180030
K0019	RUB	dm	2023-07-04	2023-06-01	2712681
K0007	RUB	dm	2023-07-17	2023-07-14	3801267
K0020	RUB	dm	2024-02-09	2024-01-25	5399009
K0016	RUB	dm	2025-04-11	2025-04-10	23706586
K0017	RUB	dm	2023-07-24	2023-07-24	2079283
K0007	RUB	dm	2023-07-03	2023-06-09	15227813
K0004	RUB	cm	2023-07-28	\N	562906
K0020	RUB	cm	2024-01-24	\N	7300000
K0002	RUB	cm	2024-06-07	\N	14308401
K0017	RUB	cm	2023-07-24	\N	2079283
K0020	RUB	cm	2024-02-09	\N	5399009
K0015	RUB	cm	2023-12-25	\N	1875782
K0011	RUB	cm	2023-07-25	\N	14560147
K0020	RUB	cm	2023-07-03	\N	6719502
K0009	RUB	cm	2023-08-01	\N	12335256
K0004	RUB	cm	2023-07-03	\N	2664183
K0014	RUB	cm	2023-07-03	\N	20016023
K0005	RUB	cm	2023-12-18	\N	8262379
K0016	RUB	cm	2023-08-07	\N	33696684
K0018	RUB	cm	2025-06-13	\N	28660556
K0005	RUB	cm	2023-07-06	\N	2159164
K0011	RUB	cm	2023-10-04	\N	5471666
K0018	RUB	cm	2023-07-27	\N	47122526
K0016	RUB	cm	2024-12-27	\N	38180030
K0016	RUB	cm	2024-11-08	\N	35988803
K0016	RUB	cm	2025-04-11	\N	23706586
K0018	RUB	cm	2023-07-06	\N	5237036
K0008	RUB	cm	2023-08-14	\N	825881
K0020	RUB	cm	2025-05-12	\N	27469977
K0011	RUB	cm	2023-08-28	\N	10823184
K0016	RUB	cm	2025-03-21	\N	19182574
K0002	RUB	cm	2023-10-13	\N	23781490
K0002	RUB	cm	2024-02-06	\N	15778397
K0007	RUB	cm	2023-07-17	\N	3801267
K0007	RUB	cm	2023-07-03	\N	22107661
K0016	RUB	cm	2024-12-06	\N	72348156
K0011	RUB	cm	2023-07-17	\N	6700447
K0020	RUB	cm	2025-04-12	\N	480892
K0007	RUB	cm	2024-03-29	\N	4794862
K0009	RUB	cm	2023-07-24	\N	13816738
K0011	RUB	cm	2023-09-27	\N	4500000
K0019	RUB	cm	2023-07-04	\N	7827799
K0016	RUB	cm	2025-01-24	\N	10669845
K0012	RUB	cm	2023-08-14	\N	1292989
K0002	RUB	cm	2024-10-03	\N	10236125
K0007	RUB	cm	2025-01-10	\N	14487987
K0016	RUB	cm	2025-03-14	\N	39701170
K0009	RUB	cm	2023-07-27	\N	6232623
\.


--
-- Data for Name: load_files; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.load_files (load_id, path, sha256, size_bytes, entity, rows_read, message) FROM stdin;
1	/tmp/wb/src/adjustments.csv	6bc6c58554c799704b023ef10a6fbcde28797123e8eccaca21d723be12e68430	179	adjustments	2	
1	/tmp/wb/src/allocations.csv	8cfd7aea536a3d3f46718bb29d41bafb8f457f07dc41f0d5a1227ceac723902c	137	allocations	4	
1	/tmp/wb/src/bank_statement_2025-06.txt	545b8691ce48d8727626c86861b5b81dc94dbaedf6e4b3ed1fc44abebd1c4c90	7899	bank_statement	4	
1	/tmp/wb/src/calendar.csv	649432d54a12be2ac3ecff61fb680b74c6dd4d942cc8e4a6d5ef0bf7def3cd2c	48	calendar	2	
1	/tmp/wb/src/contracts.xlsx	bd2fbb84f50306c316403fe88d68ceaa99bf81598806a657a1314869f3cb8465	7888	contracts	50	
1	/tmp/wb/src/counterparties.csv	574adbd9ae24ea35c6ce22c6e58efbd65cff16a52d300161a36a854426510e5b	2127	counterparties	21	
1	/tmp/wb/src/opening_balances.csv	146477be224fcb7630747d884bd5621fa03bb034e535ed558d10b980a1643ff2	1721	opening_balances	28	
1	/tmp/wb/src/payments.csv	de47e8ea524a10ba80b49eea6a289cdb8a6a4c7be8eaf785e91ed6a9c69d6a58	8623	payments	44	
1	/tmp/wb/src/returns.csv	d2ddb7baae89b115ac262f45b3d7f8571c58f1533b7da72df7c68d7f3b95c38a	192	returns	2	
1	/tmp/wb/src/shipments_2023.csv	40e3e2055624418de750ccda501e62836f67ec8209215a676dae86351bcaa250	708	shipments	6	
1	/tmp/wb/src/shipments_2024.csv	6773c047560593ba59f1566375d7ce0e0fe9ce7e6bf8f11fca4d7817d8c4f81f	1475	shipments	13	
1	/tmp/wb/src/shipments_2025.csv	a95f657cdd0f8f33945a61a12eee24a5827cbcdc22e0c9ec2576d827d87568cc	581	shipments	5	
\.


--
-- Data for Name: load_runs; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.load_runs (load_id, started_at, finished_at, user_name, host, command, status, duration_ms, counts, message) FROM stdin;
1	2026-12-06 07:13:57.285357	2026-12-06 07:13:57.90442	root	vm	demo --scale 20 --seed 7	done	620	{"entities": {"calendar": {"read": 2, "new": 2, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 0}, "counterparties": {"read": 21, "new": 20, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 1}, "contracts": {"read": 50, "new": 50, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 0}, "opening_balances": {"read": 28, "new": 28, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 0}, "shipments": {"read": 24, "new": 20, "updated": 0, "unchanged": 1, "deleted": 0, "rejected": 3}, "returns": {"read": 2, "new": 1, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 1}, "adjustments": {"read": 2, "new": 1, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 1}, "bank_payments": {"read": 4, "new": 4, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 0}, "payments": {"read": 44, "new": 43, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 1}, "allocations": {"read": 4, "new": 3, "updated": 0, "unchanged": 0, "deleted": 0, "rejected": 1}}, "bank_sent": 4, "bank_unidentified": 3, "retried": 0, "retried_loaded": 0, "matches": 52, "company_inn": "7718045120"}	12 files
\.


--
-- Data for Name: matches; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.matches (match_id, counterparty_id, debit_pk, credit_pk, amount, match_date) FROM stdin;
1	K0002	32	2	14306216	2023-10-13
2	K0002	32	81	9475274	2023-10-13
3	K0002	35	85	15778397	2024-02-06
4	K0002	37	88	14308401	2024-06-07
5	K0002	38	49	935405	2024-10-03
6	K0002	38	81	9300720	2024-10-03
7	K0004	3	55	2664183	2023-07-03
8	K0004	4	73	562906	2023-07-28
9	K0005	5	64	2159164	2023-07-06
10	K0005	33	82	8262379	2023-12-18
11	K0007	6	56	6879848	2023-07-03
12	K0007	7	57	15227813	2023-07-03
13	K0007	8	66	3801267	2023-07-17
14	K0007	36	87	4794862	2024-03-29
15	K0007	43	92	14487987	2025-01-10
16	K0008	9	76	825881	2023-08-14
17	K0009	10	68	6232623	2023-07-24
18	K0009	11	68	7584115	2023-07-24
19	K0009	11	71	6232623	2023-07-27
20	K0009	12	74	12335256	2023-08-01
21	K0011	14	67	6700447	2023-07-17
22	K0011	14	70	2630635	2023-07-25
23	K0011	15	70	11929512	2023-07-25
24	K0011	29	78	10823184	2023-08-28
25	K0011	15	79	2630635	2023-09-27
26	K0011	16	79	1869365	2023-09-27
27	K0011	16	80	4831082	2023-10-04
28	K0011	30	80	640584	2023-10-04
29	K0012	17	77	1292989	2023-08-14
30	K0014	18	58	11919730	2023-07-03
31	K0014	19	59	8096293	2023-07-03
32	K0015	31	83	1875782	2023-12-25
33	K0016	20	75	33696684	2023-08-07
34	K0016	40	89	35988803	2024-11-08
35	K0016	39	90	72348156	2024-12-06
36	K0016	42	91	38180030	2024-12-27
37	K0016	41	93	10669845	2025-01-24
38	K0016	44	94	39701170	2025-03-14
39	K0016	45	95	19182574	2025-03-21
40	K0016	46	96	23706586	2025-04-11
41	K0017	21	69	2079283	2023-07-24
42	K0018	22	65	5237036	2023-07-06
43	K0018	23	72	47122526	2023-07-27
44	K0018	48	53	28660556	2025-06-13
45	K0019	25	61	1939993	2023-07-04
46	K0019	26	62	2712681	2023-07-04
47	K0019	27	63	3175125	2023-07-04
48	K0020	28	60	6719502	2023-07-03
49	K0020	34	84	7300000	2024-01-24
50	K0020	34	86	5399009	2024-02-09
51	K0020	47	50	480892	2025-04-12
52	K0020	47	97	27469977	2025-05-12
\.


--
-- Data for Name: meta; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.meta (key, value) FROM stdin;
schema_version	1
company_name	ООО «Волжский Опт»
company_inn	7718045120
flows	1
shipment_checks	1
\.


--
-- Data for Name: rejects; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.rejects (reject_id, load_id, kind, entity, file, line, column_name, value, reason, record_key, raw) FROM stdin;
1	1	row	counterparties	/tmp/wb/src/counterparties.csv	22	inn	7725490050	INN 7725490050 has a wrong check digit	K0021	
2	1	row	shipments	/tmp/wb/src/shipments_2024.csv	3	date	31.02.2024	not a date: 31.02.2024 (February 2024 has 29 days)	S0000008	
3	1	row	shipments	/tmp/wb/src/shipments_2024.csv	8	amount	12,345	amount has more than 2 decimals: 12,345 (',' is read as the decimal mark)	S0000013	
4	1	reference	shipments	/tmp/wb/src/shipments_2024.csv	9	contract_id	C99999	unknown contract	S0000014	{"document_id": "S0000014", "contract_id": "C99999", "date": "2024-10-04", "amount": "48210.00", "number": "УПД-000008", "due_date": "", "vat": "8035.00", "warehouse": "Склад Санкт-Петербург (Шушары)", "deleted": "0"}
5	1	row	returns	/tmp/wb/src/returns.csv	3	amount	-1 234,56	amount must be greater than zero	R0000002	
6	1	row	adjustments	/tmp/wb/src/adjustments.csv	3	amount	0,00	amount must not be zero	A0000002	
7	1	row	payments	/tmp/wb/src/payments.csv	45	contract_id		a payment needs a contract_id or a counterparty_id	P0000044	
8	1	reference	allocations	/tmp/wb/src/allocations.csv	5	payment_id	P9999999	unknown payment	P9999999|S0000001	{"payment_id": "P9999999", "shipment_id": "S0000001", "amount": "100.00"}
\.


--
-- Data for Name: reminder_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.reminder_log (day, counterparty_id, rule, status, documents, recipients, subject, message_id, attempts, recorded_at, sent_at, error, user_name) FROM stdin;
\.


--
-- Data for Name: shipment_checks; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.shipment_checks (doc_pk, counterparty_id, doc_date, oldest_due, currency, overdue, contract_balance) FROM stdin;
29	K0011	2023-07-24	2023-06-19	RUB	23891229	34714413
30	K0011	2023-08-25	2023-07-18	RUB	20154266	30125932
48	K0018	2025-04-23	2023-06-20	RUB	10985135	28660556
\.


--
-- Name: audit_log_audit_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.audit_log_audit_id_seq', 1, true);


--
-- Name: documents_doc_pk_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.documents_doc_pk_seq', 97, true);


--
-- Name: load_runs_load_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.load_runs_load_id_seq', 1, true);


--
-- Name: matches_match_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.matches_match_id_seq', 52, true);


--
-- Name: rejects_reject_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.rejects_reject_id_seq', 8, true);


--
-- Name: allocations allocations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.allocations
    ADD CONSTRAINT allocations_pkey PRIMARY KEY (payment_id, shipment_id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (audit_id);


--
-- Name: calendar_overrides calendar_overrides_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.calendar_overrides
    ADD CONSTRAINT calendar_overrides_pkey PRIMARY KEY (day);


--
-- Name: contracts contracts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contracts
    ADD CONSTRAINT contracts_pkey PRIMARY KEY (contract_id);


--
-- Name: counterparties counterparties_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counterparties
    ADD CONSTRAINT counterparties_pkey PRIMARY KEY (counterparty_id);


--
-- Name: documents documents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT documents_pkey PRIMARY KEY (doc_pk);


--
-- Name: load_files load_files_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.load_files
    ADD CONSTRAINT load_files_pkey PRIMARY KEY (load_id, path);


--
-- Name: load_runs load_runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.load_runs
    ADD CONSTRAINT load_runs_pkey PRIMARY KEY (load_id);


--
-- Name: matches matches_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.matches
    ADD CONSTRAINT matches_pkey PRIMARY KEY (match_id);


--
-- Name: meta meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);


--
-- Name: rejects rejects_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rejects
    ADD CONSTRAINT rejects_pkey PRIMARY KEY (reject_id);


--
-- Name: reminder_log reminder_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.reminder_log
    ADD CONSTRAINT reminder_log_pkey PRIMARY KEY (day, counterparty_id, rule);


--
-- Name: documents uq_documents_kind_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.documents
    ADD CONSTRAINT uq_documents_kind_id UNIQUE (kind, document_id);


--
-- Name: ix_allocations_shipment; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_allocations_shipment ON public.allocations USING btree (shipment_id);


--
-- Name: ix_audit_log_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_audit_log_at ON public.audit_log USING btree (at);


--
-- Name: ix_contracts_counterparty; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_contracts_counterparty ON public.contracts USING btree (counterparty_id);


--
-- Name: ix_counterparties_inn; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_counterparties_inn ON public.counterparties USING btree (inn);


--
-- Name: ix_counterparties_manager; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_counterparties_manager ON public.counterparties USING btree (manager);


--
-- Name: ix_documents_contract_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_documents_contract_date ON public.documents USING btree (contract_id, doc_date);


--
-- Name: ix_documents_counterparty_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_documents_counterparty_date ON public.documents USING btree (counterparty_id, doc_date);


--
-- Name: ix_documents_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_documents_date ON public.documents USING btree (doc_date);


--
-- Name: ix_documents_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_documents_due ON public.documents USING btree (due_date);


--
-- Name: ix_documents_open_range; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_documents_open_range ON public.documents USING gist (daterange(doc_date, settled_date, '[)'::text));


--
-- Name: ix_documents_side_settled_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_documents_side_settled_date ON public.documents USING btree (side, settled_date, doc_date);


--
-- Name: ix_flows_counterparty_day; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_flows_counterparty_day ON public.flows USING btree (counterparty_id, day);


--
-- Name: ix_flows_sums; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_flows_sums ON public.flows USING btree (kind, currency, day, due_date, amount);


--
-- Name: ix_matches_counterparty; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_matches_counterparty ON public.matches USING btree (counterparty_id);


--
-- Name: ix_matches_credit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_matches_credit ON public.matches USING btree (credit_pk, match_date);


--
-- Name: ix_matches_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_matches_date ON public.matches USING btree (match_date);


--
-- Name: ix_matches_debit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_matches_debit ON public.matches USING btree (debit_pk, match_date);


--
-- Name: ix_rejects_entity_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_rejects_entity_key ON public.rejects USING btree (entity, record_key);


--
-- Name: ix_rejects_file; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_rejects_file ON public.rejects USING btree (file);


--
-- Name: ix_reminder_log_counterparty; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_reminder_log_counterparty ON public.reminder_log USING btree (counterparty_id, day);


--
-- Name: ix_reminder_log_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_reminder_log_status ON public.reminder_log USING btree (status, day);


--
-- Name: ix_shipment_checks_counterparty; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_shipment_checks_counterparty ON public.shipment_checks USING btree (counterparty_id, doc_date);


--
-- Name: ix_shipment_checks_date; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_shipment_checks_date ON public.shipment_checks USING btree (doc_date, doc_pk);


--
-- PostgreSQL database dump complete
--

\unrestrict K8O65J3R79dpTc6OMC8wQpGtbJcnBPGrxopjPMRBIuj8oVssINqXS8Ec83h3WDP

