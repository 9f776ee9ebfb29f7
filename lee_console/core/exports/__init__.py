"""DynamoDB exports to S3, the pure part: what an export is (model.py), the lines of its data
files (records.py: a full export's items, an incremental export's changed items), and how a
period is covered by incremental exports within AWS's limits (periods.py). The calls and the
download are aws/exports.py."""
