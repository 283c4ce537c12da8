#!/usr/bin/env python3
"""Can the judged pairs be told apart by the verdict's own numbers? (research, not shipped)

Usage: reuse_model.py TEST_ROUND [reuters=RUN bbc=RUN ag=RUN]
       reuse_model.py fit [reuters=RUN bbc=RUN ag=RUN]   (all rounds: the weights, as Rust)
       reuse_model.py fit-series|reliability-series reuters=RUN   (dated pairs of one series)
       reuse_model.py reliability [...]   (each round held out in turn: the reliability table)

Fits a logistic model of the reader's judgement (reuse or not) on every pair judged by
reading (bench/results/reading, r1-r12) that the build's default output reports, leaving out
every pair judged in TEST_ROUND, and reports on that round: the reliability table (predicted
against observed) and what keeping only pairs above a probability would keep and lose. The
features are read from the verdict's reasons: score, verbatim share of the shorter text,
ln(1 + longest passage), smaller coverage, share of shared fingerprints that are common in
the corpus, partial or derived, ln(1 + hours between the records' dates), dated, ln(shorter
text's words). Pure Python (Newton's method, L2 1.0); no third-party package.
"""
import json,glob,re,math,sys,random
from datetime import datetime
import os
root=os.path.join(os.path.dirname(os.path.abspath(__file__)),'results','reading')
# RUNS: scan outputs with every label emitted, e.g.
#   reprint scan bench/out/real/reuters.jsonl --emit derived,partial,template,boilerplate,background,related --out /tmp/rt-all
RUNS=dict(a.split('=',1) for a in sys.argv[2:]) or {'reuters':'/tmp/rt-all','bbc':'/tmp/bbc-all','ag':'/tmp/ag-all'}
def rnd(p): return int(re.search(r'/r(\d+)-',p).group(1))
def judged(corpus):
    out={}  # key -> list of (round, judgement)
    for p in glob.glob(f'{root}/r*/judged-{corpus}.jsonl')+glob.glob(f'{root}/r*/{corpus}/judged.jsonl'):
        r=rnd(p)
        for l in open(p):
            x=json.loads(l); k=tuple(sorted((x['a'],x['b'])))
            out.setdefault(k,[]).append((r,x['judgement']))
    return out
def feats(x):
    v=x['comparison']['verdict']; R=v['reasons']
    share=longest=traced=None; common=shared=0
    for s in R:
        m=re.search(r'hold (\d+) words, ([\d.]+) of the shorter text; the longest (\d+)',s)
        if m: traced,share,longest=int(m.group(1)),float(m.group(2)),int(m.group(3))
        m=re.search(r'(\d+) of the (\d+) shared fingerprints',s)
        if m: common,shared=int(m.group(1)),int(m.group(2))
    if share is None: return None
    shorter=traced/share if share>0 else 1
    da,db=x['a'].get('date'),x['b'].get('date')
    gap=None
    if da and db:
        try: gap=abs((datetime.fromisoformat(da)-datetime.fromisoformat(db)).total_seconds())/3600
        except Exception: pass
    return [1.0, v['score'], min(share,1.0), math.log1p(longest), min(v['coverage_a'],v['coverage_b']),
            common/shared if shared else 0.0, 1.0 if x['label']=='partial' else 0.0,
            math.log1p(gap) if gap is not None else 0.0, 1.0 if gap is not None else 0.0, math.log(max(shorter,1))]
NAMES=['bias','score','share','ln_longest','min_cov','common','partial','ln_gap','dated','ln_shorter']
data=[]
for c,run in RUNS.items():
    J=judged(c)
    for l in open(f'{run}/pairs.jsonl'):
        x=json.loads(l)
        if x['label'] not in ('derived','partial'): continue
        k=tuple(sorted((x['a']['id'],x['b']['id'])))
        if k not in J: continue
        f=feats(x)
        if f is None: continue
        js=J[k]; last=max(js)
        data.append(dict(c=c,k=k,f=f,y=1 if last[1]=='reuse' else 0,rounds={r for r,_ in js}))
print(len(data), {c:sum(1 for d in data if d['c']==c) for c in RUNS})
def fit(rows,l2=1.0,it=60):
    n=len(rows[0]['f']); w=[0.0]*n
    for _ in range(it):
        g=[0.0]*n; H=[[0.0]*n for _ in range(n)]
        for d in rows:
            z=sum(a*b for a,b in zip(w,d['f'])); p=1/(1+math.exp(-z))
            for i in range(n):
                g[i]+= (p-d['y'])*d['f'][i]
                for j in range(n): H[i][j]+=p*(1-p)*d['f'][i]*d['f'][j]
        for i in range(1,n): g[i]+=l2*w[i]; H[i][i]+=l2
        # solve H dx = g
        A=[H[i][:]+[g[i]] for i in range(n)]
        for i in range(n):
            piv=max(range(i,n),key=lambda r:abs(A[r][i])); A[i],A[piv]=A[piv],A[i]
            for r in range(n):
                if r!=i:
                    f=A[r][i]/A[i][i]
                    for cc in range(i,n+1): A[r][cc]-=f*A[i][cc]
        dx=[A[i][n]/A[i][i] for i in range(n)]
        w=[a-b for a,b in zip(w,dx)]
    return w
def prob(w,f): return 1/(1+math.exp(-sum(a*b for a,b in zip(w,f))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from blind_score import wilson  # noqa: E402
if sys.argv[1] in ('fit-series', 'reliability-series'):
    # Two dated records of one series (`dated` = 1; Reuters): the weights compare.rs uses for
    # such pairs (SERIES_REUSE_WEIGHTS), fitted on those pairs alone; `reliability-series`
    # holds out each round in turn and reports the fresh rounds (r13 on), the pooled weights
    # beside them.
    POOLED=[-1.7846, 0.8130, 1.8438, 1.0377, 0.4278, -1.4435, -0.5143, -0.3553, 0.2360, -0.3399]
    data=[d for d in data if d['f'][8]==1.0]
    if sys.argv[1]=='fit-series':
        w=fit(data)
        print('// bench/reuse_model.py fit-series: %d judged pairs of one series, dated' % len(data))
        print('const SERIES_REUSE_WEIGHTS: [f64; %d] = [' % len(w))
        for n,x in zip(NAMES,w): print(f'    {x:.4f}, // {n}')
        print('];')
        sys.exit(0)
    held=[]
    for R in sorted({r for d in data for r in d['rounds']}):
        w=fit([d for d in data if R not in d['rounds']])
        held+=[(prob(w,d['f']),d['y'],R,prob(POOLED,d['f'])) for d in data if R in d['rounds']]
    H=[h for h in held if h[2]>=13]
    k=sum(h[1] for h in H); lo,hi=wilson(k,len(H))
    print(f'fresh rounds r13+, pooled weights: {k}/{len(H)} = {k/len(H):.3f} reuse ({lo:.2f}-{hi:.2f})')
    K=[h for h in H if h[0]>=0.5]; k2=sum(h[1] for h in K); lo,hi=wilson(k2,len(K))
    print(f'  kept at 0.5 by the series weights (held out): {k2}/{len(K)} = {k2/len(K):.3f} ({lo:.2f}-{hi:.2f}), {k-k2} reuse pairs lost')
    print('| predicted | pairs | mean predicted | observed reuse | Wilson 95% |')
    print('|---|---:|---:|---:|---|')
    bins=[0,0.5,0.7,0.8,0.9,0.95,1.0001]
    for i in range(len(bins)-1):
        B=[h for h in H if bins[i]<=h[0]<bins[i+1]]
        if not B: continue
        k=sum(h[1] for h in B); lo,hi=wilson(k,len(B))
        print(f'| {bins[i]:.2f}-{min(bins[i+1],1):.2f} | {len(B)} | {sum(h[0] for h in B)/len(B):.2f} | {k/len(B):.2f} | {lo:.2f}-{hi:.2f} |')
    sys.exit(0)
if sys.argv[1]=='reliability':
    # Every round held out in turn: fit on the pairs not judged in it, predict its pairs.
    held=[]
    for R in sorted({r for d in data for r in d['rounds']}):
        tr=[d for d in data if R not in d['rounds']]
        te=[d for d in data if R in d['rounds']]
        w=fit(tr)
        held+=[(prob(w,d['f']),d['y'],d['c']) for d in te]
    print(f'held-out predictions: {len(held)} (a pair judged in k rounds counts k times)')
    print('| predicted | pairs | mean predicted | observed reuse | Wilson 95% |')
    print('|---|---:|---:|---:|---|')
    bins=[0,0.5,0.7,0.8,0.9,0.95,1.0001]
    for i in range(len(bins)-1):
        B=[h for h in held if bins[i]<=h[0]<bins[i+1]]
        if not B: continue
        k=sum(h[1] for h in B); lo,hi=wilson(k,len(B))
        print(f'| {bins[i]:.2f}-{min(bins[i+1],1):.2f} | {len(B)} | {sum(h[0] for h in B)/len(B):.2f} | {k/len(B):.2f} | {lo:.2f}-{hi:.2f} |')
    for c in RUNS:
        B=[h for h in held if h[2]==c]
        print(f'{c}: mean predicted {sum(h[0] for h in B)/len(B):.3f}, observed {sum(h[1] for h in B)/len(B):.3f} ({len(B)} pairs)')
    sys.exit(0)
if sys.argv[1]=='fit':
    w=fit(data)
    print('// bench/reuse_model.py fit: %d judged pairs (%s)' % (len(data), ', '.join(f"{c} {sum(1 for d in data if d['c']==c)}" for c in RUNS)))
    print('const WEIGHTS: [f64; %d] = [' % len(w))
    for n,x in zip(NAMES,w): print(f'    {x:.4f}, // {n}')
    print('];')
    sys.exit(0)
test_round=int(sys.argv[1])
train=[d for d in data if test_round not in d['rounds']]
test=[d for d in data if test_round in d['rounds']]
w=fit(train)
print('weights', {n:round(x,3) for n,x in zip(NAMES,w)})
for c in RUNS:
    T=[d for d in test if d['c']==c]
    if not T: continue
    kept=[d for d in T if prob(w,d['f'])>=0.5]
    print(c, f"test r{test_round}: before {sum(d['y'] for d in T)}/{len(T)}; p>=0.5 keeps {sum(d['y'] for d in kept)}/{len(kept)}; lost reuse {sum(d['y'] for d in T)-sum(d['y'] for d in kept)}")
# reliability on test
bins=[0,0.3,0.5,0.7,0.8,0.9,0.95,1.01]
for i in range(len(bins)-1):
    B=[d for d in test if bins[i]<=prob(w,d['f'])<bins[i+1]]
    if B: print(f"  p in [{bins[i]},{bins[i+1]}): n={len(B)} mean p={sum(prob(w,d['f']) for d in B)/len(B):.2f} observed={sum(d['y'] for d in B)/len(B):.2f}")
print('--- thresholds on test')
for t in (0.5,0.6,0.7,0.75,0.8):
    for c in RUNS:
        T=[d for d in test if d['c']==c]
        if not T: continue
        kept=[d for d in T if prob(w,d['f'])>=t]
        print(f"  t={t} {c}: keeps {sum(d['y'] for d in kept)}/{len(kept)} lost reuse {sum(d['y'] for d in T)-sum(d['y'] for d in kept)}")
