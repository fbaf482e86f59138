"""The JupyterLab workbench: triage saved safely, and the panels of the gather and score notebooks."""
