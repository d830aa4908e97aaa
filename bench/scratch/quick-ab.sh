#!/bin/sh
# Quick harness runs from the unpatched snapshot and from the all-patches prototype, alternately.
cd /work/main
python3 bench/scratch/make-proto.py base2 "" && python3 bench/scratch/make-proto.py all jwt-keyobject,canonical-fast,named-statements,trace-single-pass,rebuild-one-tx,projector-skip,rebuild-batch-5000 || exit 1
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/test
for i in 1 2; do
  node bench/scratch/proto-base2/dist/bench/src/run.js --quick --out bench/scratch/results/quick-base-$i.json > bench/scratch/results/quick-base-$i.out 2>&1
  node bench/scratch/proto-all/dist/bench/src/run.js --quick --out bench/scratch/results/quick-all-$i.json > bench/scratch/results/quick-all-$i.out 2>&1
done
echo done
