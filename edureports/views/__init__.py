"""The app's pages, one module each; app.py routes between them."""
