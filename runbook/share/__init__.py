"""What account owners and chats see: the live share page and the webhooks."""
