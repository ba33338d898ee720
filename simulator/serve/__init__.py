"""Browser seats: the calldrill app served to browsers (``calldrill serve``) with textual-serve,
guarded by an access token, an Origin check, a terminal-size clamp and a session cap.

Nothing here is imported unless ``serve`` is the command."""
