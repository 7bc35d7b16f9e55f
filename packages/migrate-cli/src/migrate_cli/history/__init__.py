"""What a database's migration history says: the log checked against the scripts, and the graph."""
