"""The compute and draw functions behind each notebook's explorers, one module per notebook.

These modules import matplotlib and ipywidgets (through ``course_lib.widgets``), so
``import course_lib`` does not import them.
"""
