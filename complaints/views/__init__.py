"""Pages: `public` (directory, profiles), `cases` (filing, own complaints, dashboard), `notifications`."""
