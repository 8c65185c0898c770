"""Maintainer tools of the course (the notebook build); not part of course_lib."""
