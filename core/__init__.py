"""What every part of mlgrade shares: the exercise catalogue, its configuration, the errors."""
