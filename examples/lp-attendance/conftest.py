"""Makes ``attendance_desk`` importable from the tests (the project's root is on ``sys.path``)."""
