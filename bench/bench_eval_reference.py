#!/usr/bin/python3
"""The reference evaluators, timed, for bench/bench-eval.c (run with Debian's /usr/bin/python3 and
PYTHONPATH=REF/dota:REF/coco/PythonAPI:REF/pfr, REF built by ../shared/reference-impl/build.sh).

  bench_eval_reference.py coco GT.json RESULTS.json
      pycocotools: COCO(GT), loadRes, then COCOeval(..., 'bbox') evaluate + accumulate + summarize
  bench_eval_reference.py dota LABELDIR DETDIR IMAGESET CLASS...
      DOTA_devkit dota_evaluation_task1.voc_eval for each class, 11-point, mAP as its main()

Prints one JSON object: the times of each phase (wall and CPU seconds) and the figures, which
bench-eval compares bit for bit with Boxmark's. Their own code, called as their drivers call it:
only the timing is ours."""
import contextlib
import io
import json
import sys
import time
import types


def stand_in_for_matplotlib():
    """pycocotools' coco.py and dota_evaluation_task1.py import matplotlib for drawing and never
    call it while evaluating; when Debian's python3-matplotlib is not installed, empty modules
    take its place (nothing that is timed touches them)."""
    try:
        import matplotlib.pyplot  # noqa: F401
        return
    except ImportError:
        pass
    root = types.ModuleType('matplotlib')
    for name in ('pyplot', 'collections', 'patches'):
        module = types.ModuleType('matplotlib.' + name)
        setattr(root, name, module)
        sys.modules['matplotlib.' + name] = module
    root.collections.PatchCollection = object
    root.patches.Polygon = object
    sys.modules['matplotlib'] = root


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()):
        value = fn()
    return value, time.perf_counter() - wall, time.process_time() - cpu


def coco(gt_path, res_path):
    from pycocotools.coco import COCO
    from pycocotools.cocoeval import COCOeval
    out = {}
    gt, out['load_gt_wall'], out['load_gt_cpu'] = timed(lambda: COCO(gt_path))
    dt, out['load_res_wall'], out['load_res_cpu'] = timed(lambda: gt.loadRes(res_path))
    ev = COCOeval(gt, dt, 'bbox')
    for phase in ('evaluate', 'accumulate', 'summarize'):
        _, out[phase + '_wall'], out[phase + '_cpu'] = timed(getattr(ev, phase))
    out['stats'] = [repr(float(x)) for x in ev.stats]
    return out


def dota(label_dir, det_dir, imageset, classes):
    import dota_evaluation_task1 as task1

    def run():
        aps = []
        total = 0
        for name in classes:
            _, _, ap = task1.voc_eval(det_dir + '/Task1_{:s}.txt', label_dir + '/{:s}.txt', imageset, name,
                                      ovthresh=0.5, use_07_metric=True)
            total = total + ap
            aps.append(ap)
        return aps, total / len(classes)

    (aps, mean), wall, cpu = timed(run)
    return {'total_wall': wall, 'total_cpu': cpu, 'map': repr(float(mean)), 'aps': [repr(float(a)) for a in aps]}


if __name__ == '__main__':
    stand_in_for_matplotlib()
    if sys.argv[1] == 'coco':
        print(json.dumps(coco(sys.argv[2], sys.argv[3])))
    else:
        print(json.dumps(dota(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])))
