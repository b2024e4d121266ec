"""Training mode: recognition drills, the principle quiz, spaced repetition, progress and class reports.

Pure: every function takes the loaded playbooks (and scenarios), stored rows and the current time, and
returns values. Items come only from the playbooks' ``examples`` and the scenarios' customer lines, never
from evaluation data. The database side lives in ``coach.store.training``.
"""
