"""The Excel request form: written by `write`, read back into a Request by `read`, laid out by `layout`.

A purchasing officer fills the form in Excel or LibreOffice; `procure check`, `plan`,
`build` and `batch` read it wherever they read a TOML request (docs/requests.md).
"""
