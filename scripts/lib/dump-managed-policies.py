"""Dumps moto's bundled AWS managed policy snapshot as {"names": {name: arn}, "documents": {arn: doc}, "date": max UpdateDate}."""
import json
import sys

import moto
from moto.iam.aws_managed_policies import aws_managed_policies_data

data = json.loads(aws_managed_policies_data)
names, documents, versions, dates = {}, {}, {}, []
for name, p in data.items():
    arn = f"arn:aws:iam::aws:policy{p['Path']}{name}"
    names[name] = arn
    documents[arn] = p["Document"]
    versions[arn] = {"versionId": p["DefaultVersionId"], "updateDate": p["UpdateDate"]}
    dates.append(p["UpdateDate"])
json.dump({"source": f"moto {moto.__version__} (Apache-2.0) moto/iam/aws_managed_policies.py", "date": max(dates), "names": names, "documents": documents, "versions": versions}, sys.stdout)
