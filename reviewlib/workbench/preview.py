"""Preview a brief in the notebook: its own notebook run and exported as `reviewlib build` would."""

from __future__ import annotations

import atexit
import html
from pathlib import Path

import ipywidgets as w

from reviewlib import paths
from reviewlib.gather.review import Review
from reviewlib.workbench.panel import ERROR, Panel, note

__all__ = ["BriefPreview"]


class BriefPreview(Panel):
    """Pick a brief and see it inline, built by its own notebook exactly as `reviewlib build` would."""

    def __init__(
        self, review: Review, outputs: Path | str = "", notebooks: Path | str = paths.NOTEBOOKS
    ):
        from reviewlib.brief import slices

        self.review, self.notebooks = review, Path(notebooks)
        self.outputs = Path(outputs).resolve() if outputs else paths.OUTPUTS
        self._slices = slices
        self.kind = w.Dropdown(options=list(slices.KINDS), value="overview", description="Brief")
        self.value = w.Dropdown(options=[], description="")
        self.kind.observe(lambda _: self._values(), names="value")
        self.kind.add_class("reviewlib-preview-kind")
        self.button = w.Button(description="Preview", icon="eye")
        self.button.add_class("reviewlib-preview")
        self.button.on_click(lambda _: self.preview())
        self.status = w.HTML()
        self.status.add_class("reviewlib-preview-status")
        self.page = w.HTML()
        self.widget = w.VBox([w.HBox([self.kind, self.value, self.button]), self.status, self.page])
        self._values()

    def _values(self) -> None:
        kind = self.kind.value
        values = self._slices.allowed_values(kind, self.review.inputs_dir)
        names = self.review.reference.name_of
        options = [(names.get(v, v) if kind == "country" else v, v) for v in values]
        if kind == "country":
            options.sort(key=lambda o: o[0])
        self.value.options = options
        # A drop-down given options after starting empty has no value: choose the first.
        self.value.value = options[0][1] if options else None
        self.value.layout.display = None if values else "none"

    def preview(self) -> str:
        """Run the brief's notebook (in a kernel kept warm between previews) and show its HTML page."""
        from reviewlib.brief.build import NOTEBOOK
        from reviewlib.brief.export import to_html
        from reviewlib.brief.runner import WarmKernelEngine, run_notebook

        kind, slices = self.kind.value, self._slices
        if kind in slices.PARAMETER and self.value.value is None:
            self.status.value = note(f"Choose the {kind} of the brief first.", ERROR)
            return ""
        parameters = {
            "inputs_dir": str(Path(self.review.inputs_dir).resolve()),
            "outputs_dir": str(self.outputs),
        }
        if kind in slices.PARAMETER:
            parameters[slices.PARAMETER[kind]] = self.value.value
        self.status.value = "<i>Building the brief…</i>"
        if not getattr(BriefPreview, "_stop_registered", False):
            atexit.register(WarmKernelEngine.stop)
            BriefPreview._stop_registered = True
        result = run_notebook(self.notebooks / NOTEBOOK[kind], parameters)
        if not result.ok:
            where = f" in cell {result.cell}" if result.cell is not None else ""
            self.status.value = note(f"The brief failed{where}: {result.error}", ERROR)
            self.page.value = ""
            return ""
        page = to_html(result.notebook)
        self.status.value = note(
            f"Built in {result.seconds:.1f} s from the saved inputs and rubric.yml."
        )
        self.page.value = (
            f'<iframe sandbox="" title="Preview of the brief" srcdoc="{html.escape(page, quote=True)}" '
            'style="width:100%;height:640px;border:1px solid #ccc;background:#fff"></iframe>'
        )
        return page
