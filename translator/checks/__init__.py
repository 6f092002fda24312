"""Deploy checks on the ECS model for what cfn-lint and botocore do not catch."""
