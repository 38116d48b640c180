"""The step engine every command takes its steps with, and the step sequences the flows share."""
