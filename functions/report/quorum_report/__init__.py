"""The report capability: reports, cases, votes, policies and the voting lifecycle's tasks."""
