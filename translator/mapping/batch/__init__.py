"""Work that runs to completion: Jobs, CronJobs and their schedules, hooks."""
