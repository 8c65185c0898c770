"""Optimization strategies of sections 8.2 and 8.4–8.7 that wrap or prepare a run.

Import them from their modules (``from course_lib.strategies.clipping import ...``); each
module is one strategy and says which section of the chapter it implements.
"""
