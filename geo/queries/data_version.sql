-- The store's data version (migration 0004): grows with every write to a layer.
SELECT last_value, is_called FROM gridmap_data_version;
