"""Plain data of every printed document: what a service hands to a renderer in kopdesk.reports.

Nothing here reaches the database or draws anything. A service gathers these from its session and passes them,
with the renderer it was given, to kopdesk.reports; the renderer turns them into bytes or a file.
"""
