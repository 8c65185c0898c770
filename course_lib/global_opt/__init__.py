"""Section 8.7.6: continuation methods, simulated annealing and curriculum learning.

Import them from their modules (``from course_lib.global_opt.continuation import ...``); each
module is one idea and says which part of the section it implements.
"""
