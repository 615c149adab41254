-- An appeal handed to Workflow's review keeps the review's id, so the review's decision finds it.
ALTER TABLE appeals ADD COLUMN review_id uuid;
CREATE UNIQUE INDEX appeals_by_review ON appeals (review_id) WHERE review_id IS NOT NULL;
