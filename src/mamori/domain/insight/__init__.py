"""The pure parts of clean-room insight: request specs, complementary suppression, privacy budgets, scores."""
