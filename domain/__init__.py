"""The product's rules, each in one module, with no I/O: money, the calendar and due dates, buckets,
credit limits. etl/, queries/, dashboard/ and the CLI import them; they import nothing of the project."""
