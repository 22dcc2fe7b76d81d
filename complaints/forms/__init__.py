"""Forms of the complaint pages: `filing` (the wizard's steps), `case` (the case page's actions),
`dashboard` (the representative's filter)."""
