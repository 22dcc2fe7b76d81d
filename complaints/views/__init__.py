"""Pages: `public` (directory, profiles), `filing` (the filing steps), `mine` (the complainant's list),
`case` (one complaint and its actions), `dashboard` (the representative's queue), `notifications`."""
