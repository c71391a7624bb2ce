"""One builder per tab. Each `build(app)` lays out its tab inside the open `gr.Tabs` and wires its own events
(including its own `demo.load`); `ui.build_app` only composes them."""
