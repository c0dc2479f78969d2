ANALYZE {stage}
