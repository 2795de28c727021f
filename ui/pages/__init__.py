"""One module per page of the main window; each page is a `ui.pages.page.Page`."""
