"""Pages: `public` (directory, profiles), `filing` (the filing steps), `mine` (the complainant's list),
`case` (one complaint and its actions), `dashboard` (the representative's queue), `notifications`;
`viewer` holds what every page reads about the signed-in user, once a request."""
