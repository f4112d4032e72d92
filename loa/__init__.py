"""What every part of Loa shares and nothing of ours sits below: the exceptions base."""
