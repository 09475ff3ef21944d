"""The Streamlit side: the engine and config of the app, named cached loaders, the page context and
filters, sign-in, tables and charts."""
