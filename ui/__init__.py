"""The PySide6 desktop app: composition root `ui.app`, pages in `ui.pages`, list models in
`ui.models`. Qt lives only here; the work happens in `asndesk` and `sync`."""
