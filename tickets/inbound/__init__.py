"""Reply by e-mail: a member's answer to a notification becomes a reply on their ticket.

- addresses: the signed Reply-To and Message-IDs that notifications carry, and the checks
  that turn them back into a ticket and its author;
- reading: what a received message says (sender, new text, images, whether it is automatic);
- receive: what becomes of one message, through the same services as the pages;
- mailbox: the IMAP poll (manage.py poll_inbound_email).
"""
