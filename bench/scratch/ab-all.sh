#!/bin/sh
cd /work/main
for p in base canonical-fast named-statements trace-single-pass rebuild-prefetch rebuild-one-tx verify-prefetch async-log; do python3 bench/scratch/make-proto.py $p "$([ $p = base ] || echo $p)" > /dev/null || exit 1; done
export EVENTS=${EVENTS:-100000}
for spec in "canonical-fast verify,bus" "named-statements bus,post" "trace-single-pass trace" "rebuild-prefetch rebuild" "rebuild-one-tx rebuild" "verify-prefetch verify" "async-log post,get"; do
  set -- $spec
  echo "=== $1 ($2)"
  node bench/scratch/ab.js $1 $2 3 2>/dev/null
done
