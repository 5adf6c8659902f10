"""The planning workbook: a scenario as an Excel file (.xlsx) with Swedish sheets, and back.

Pure data ↔ xlsx, no solver.  :mod:`.writer` turns a :class:`~arshjul.scenario.Scenario`
into a workbook; :mod:`.reader` turns a workbook into the same plain data the YAML loader
feeds to pydantic, remembering which sheet and cell every value came from so that the
scenario's own errors can name the cell.  :mod:`.layout` is what both agree on: sheet
names, columns and the Swedish words.

This package imports nothing at import time: :mod:`arshjul.scenario` imports the reader,
and the writer imports the scenario module, so importing both here would be a cycle.
"""
