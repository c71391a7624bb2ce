"""The browser front end. `ui` is the only module importing gradio; `handlers` holds plain functions
(testable without a browser), `auth` the operator-configured users, `audit` the knowledge-base change log."""
