"""The invitation a person is part-way through accepting, kept in their session."""

# The invitation's id (never its token), set when the link is opened, read after signing in.
PENDING_INVITATION_KEY = "tio_pending_invitation"
