"""Services without Streamlit: acts and their documents, reminders and the mailer, exports and reports,
uploads, settings and access. The pages and the CLI both use them."""
