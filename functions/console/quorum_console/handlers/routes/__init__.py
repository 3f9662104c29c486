"""The console API's routes, one `QuorumRouter` per area: static (the console's files), releases."""
