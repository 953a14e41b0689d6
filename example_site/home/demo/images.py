"""Locally drawn demo illustrations (Pillow primitives only: no fonts, no network)."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

MOTIFS = ("network", "chip", "university", "budget", "tanker", "oil")


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _vgrad(draw, box, top, bottom):
    x0, y0, x1, y1 = (round(v) for v in box)
    for y in range(y0, y1):
        draw.line([(x0, y), (x1, y)], fill=_mix(top, bottom, (y - y0) / max(y1 - y0 - 1, 1)))


def _glow(img, paint, radius):
    """Paint on a transparent layer, blur a copy under it for a soft glow."""
    layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
    paint(ImageDraw.Draw(layer))
    out = Image.alpha_composite(img.convert("RGBA"), layer.filter(ImageFilter.GaussianBlur(radius)))
    return Image.alpha_composite(out, layer).convert("RGB")


def _network(img, d, w, h, rng):
    _vgrad(d, (0, 0, w, h), (6, 14, 42), (22, 52, 112))
    s = min(w, h)
    nodes = [
        (rng.uniform(0.05, 0.95) * w, rng.uniform(0.08, 0.92) * h, s * rng.uniform(0.007, 0.018))
        for _ in range(36)
    ]
    edges = set()
    for i, (x, y, _) in enumerate(nodes):
        near = sorted(
            range(len(nodes)), key=lambda j: (nodes[j][0] - x) ** 2 + (nodes[j][1] - y) ** 2
        )
        edges.update((min(i, j), max(i, j)) for j in near[1:4])

    def paint(g):
        for i, j in sorted(edges):
            g.line([nodes[i][:2], nodes[j][:2]], fill=(110, 190, 255, 170), width=max(2, s // 300))
        for x, y, r in nodes:
            g.ellipse([x - r, y - r, x + r, y + r], fill=(200, 240, 255, 255))

    return _glow(img, paint, s / 70)


def _chip(img, d, w, h, rng):
    _vgrad(d, (0, 0, w, h), (4, 34, 30), (10, 84, 70))
    s, cx, cy = min(w, h), w / 2, h / 2
    half, pins, pin_len = s * 0.2, 8, s * 0.035
    step = 2 * half / (pins + 1)

    def paint(g):
        for side in range(4):
            for k in range(pins):
                off = -half + step * (k + 1)
                # start point at the pin tip, direction outward
                dx, dy = [(0, -1), (1, 0), (0, 1), (-1, 0)][side]
                px, py = (
                    cx + (off if dy else dx * (half + pin_len)),
                    cy + (off if dx else dy * (half + pin_len)),
                )
                l1 = s * rng.uniform(0.04, 0.10)
                bend = rng.choice((-1, 0, 1)) * s * rng.uniform(0.03, 0.08)
                qx, qy = px + dx * l1, py + dy * l1
                rx, ry = qx + dx * abs(bend) + dy * bend, qy + dy * abs(bend) + dx * bend
                ex, ey = rx + dx * s * 0.05, ry + dy * s * 0.05
                g.line(
                    [(px, py), (qx, qy), (rx, ry), (ex, ey)],
                    fill=(90, 235, 190, 230),
                    width=max(2, s // 220),
                    joint="curve",
                )
                r = s * 0.009
                g.ellipse([ex - r, ey - r, ex + r, ey + r], fill=(150, 255, 215, 255))

    img = _glow(img, paint, s / 90)
    d = ImageDraw.Draw(img)
    for k in range(pins):
        off = -half + step * (k + 1)
        pw = step * 0.22
        for x0, y0, x1, y1 in (
            (cx + off - pw, cy - half - pin_len, cx + off + pw, cy - half),
            (cx + off - pw, cy + half, cx + off + pw, cy + half + pin_len),
            (cx - half - pin_len, cy + off - pw, cx - half, cy + off + pw),
            (cx + half, cy + off - pw, cx + half + pin_len, cy + off + pw),
        ):
            d.rectangle([x0, y0, x1, y1], fill=(214, 176, 86))
    d.rounded_rectangle(
        [cx - half, cy - half, cx + half, cy + half],
        radius=s * 0.015,
        fill=(34, 38, 44),
        outline=(100, 110, 116),
        width=max(2, s // 250),
    )
    inner = half * 0.55
    d.rectangle([cx - inner, cy - inner, cx + inner, cy + inner], fill=(58, 68, 76))
    for t in range(1, 6):
        v = -inner + 2 * inner * t / 6
        d.line([(cx - inner, cy + v), (cx + inner, cy + v)], fill=(80, 94, 102), width=1)
        d.line([(cx + v, cy - inner), (cx + v, cy + inner)], fill=(80, 94, 102), width=1)
    r = s * 0.012
    d.ellipse(
        [cx - half * 0.8 - r, cy - half * 0.8 - r, cx - half * 0.8 + r, cy - half * 0.8 + r],
        fill=(90, 100, 108),
    )
    return img


def _university(img, d, w, h, rng):
    _vgrad(d, (0, 0, w, h * 0.84), (150, 192, 232), (232, 240, 246))
    _vgrad(d, (0, h * 0.84, w, h), (120, 150, 110), (86, 112, 80))
    stone, shade, dark = (238, 232, 218), (196, 188, 170), (120, 112, 100)
    cx, bw = w / 2, w * 0.56
    left, right = cx - bw / 2, cx + bw / 2
    for i, y in enumerate((0.80, 0.82, 0.84)):  # three steps
        grow = w * 0.015 * (i + 1)
        d.rectangle(
            [left - grow, h * y, right + grow, h * (y + 0.02)],
            fill=_mix(stone, shade, i / 3),
            outline=dark,
        )
    d.rectangle([left + w * 0.02, h * 0.42, right - w * 0.02, h * 0.80], fill=shade)  # back wall
    d.rectangle([cx - w * 0.035, h * 0.58, cx + w * 0.035, h * 0.80], fill=(92, 70, 54))  # door
    n, cw = 6, w * 0.036
    for k in range(n):
        x = left + w * 0.03 + (bw - w * 0.06 - cw) * k / (n - 1)
        d.rectangle([x, h * 0.44, x + cw, h * 0.78], fill=stone, outline=dark)
        for f in (0.3, 0.7):
            d.line([(x + cw * f, h * 0.45), (x + cw * f, h * 0.77)], fill=shade, width=2)
        d.rectangle([x - cw * 0.2, h * 0.42, x + cw * 1.2, h * 0.44], fill=stone, outline=dark)
        d.rectangle([x - cw * 0.15, h * 0.78, x + cw * 1.15, h * 0.80], fill=stone, outline=dark)
    d.rectangle([left, h * 0.35, right, h * 0.42], fill=stone, outline=dark)  # entablature
    d.polygon(
        [(left - w * 0.01, h * 0.35), (right + w * 0.01, h * 0.35), (cx, h * 0.19)],
        fill=stone,
        outline=dark,
    )
    d.polygon(
        [(left + w * 0.04, h * 0.335), (right - w * 0.04, h * 0.335), (cx, h * 0.215)], fill=shade
    )
    return img


def _budget(img, d, w, h, rng):
    _vgrad(d, (0, 0, w, h), (232, 238, 244), (188, 204, 224))
    x0, x1, y0, y1 = w * 0.12, w * 0.88, h * 0.12, h * 0.86
    for k in range(1, 6):
        y = y1 - (y1 - y0) * k / 6
        d.line([(x0, y), (x1, y)], fill=(170, 184, 204), width=2)
    values = (0.20, 0.22, 0.21, 0.24, 0.27, 0.30, 0.86)
    slot = (x1 - x0) / len(values)
    tops = []
    for i, v in enumerate(values):
        bx = x0 + slot * i + slot * 0.2
        top = y1 - (y1 - y0) * v
        colour = (236, 156, 38) if i == len(values) - 1 else (78, 108, 150)
        d.rectangle([bx, top, bx + slot * 0.6, y1], fill=colour)
        tops.append((bx + slot * 0.3, top - h * 0.07))
    d.line(
        [(x0, y0 - h * 0.04), (x0, y1), (x1 + w * 0.02, y1)],
        fill=(40, 52, 72),
        width=max(3, h // 180),
    )
    d.line(
        tops[:-1] + [(tops[-1][0], tops[-1][1] + h * 0.05)],
        fill=(196, 58, 48),
        width=max(4, h // 130),
        joint="curve",
    )
    ax, ay = tops[-1]
    d.polygon(
        [(ax, ay - h * 0.03), (ax - w * 0.022, ay + h * 0.06), (ax + w * 0.022, ay + h * 0.06)],
        fill=(196, 58, 48),
    )
    return img


def _tanker(img, d, w, h, rng):
    hz = h * 0.62
    _vgrad(d, (0, 0, w, hz), (26, 30, 72), (246, 146, 72))
    d.ellipse([w * 0.82, hz - h * 0.07, w * 0.90, hz + h * 0.07], fill=(255, 196, 120))
    _vgrad(d, (0, hz, w, h), (44, 52, 86), (8, 12, 30))  # sea hides the lower half of the sun
    for _ in range(70):
        y = rng.uniform(hz + 4, h)
        x = rng.gauss(w * 0.86, w * 0.08)
        ln = rng.uniform(0.02, 0.07) * w
        d.line([(x - ln / 2, y), (x + ln / 2, y)], fill=(230, 140, 80), width=2)
    hull = (18, 18, 28)
    d.polygon(
        [
            (w * 0.12, hz - h * 0.06),
            (w * 0.80, hz - h * 0.07),
            (w * 0.76, hz + h * 0.03),
            (w * 0.15, hz + h * 0.03),
        ],
        fill=hull,
    )
    d.rectangle([w * 0.16, hz - h * 0.20, w * 0.25, hz - h * 0.06], fill=hull)  # superstructure
    d.rectangle([w * 0.15, hz - h * 0.22, w * 0.26, hz - h * 0.19], fill=hull)  # bridge
    d.rectangle([w * 0.18, hz - h * 0.29, w * 0.215, hz - h * 0.22], fill=hull)  # funnel
    for k in range(6):
        x = w * (0.155 + k * 0.0175)
        d.rectangle([x, hz - h * 0.212, x + w * 0.01, hz - h * 0.200], fill=(255, 210, 140))
    d.line(
        [(w * 0.26, hz - h * 0.075), (w * 0.78, hz - h * 0.08)],
        fill=(40, 40, 54),
        width=max(2, h // 300),
    )
    for k in range(12):  # deck manifold posts
        x = w * (0.30 + k * 0.04)
        d.rectangle([x, hz - h * 0.09, x + w * 0.006, hz - h * 0.065], fill=hull)
    boat, by = (58, 62, 74), h * 0.86  # smaller patrol boat, closer to the viewer
    d.polygon(
        [
            (w * 0.56, by - h * 0.035),
            (w * 0.80, by - h * 0.045),
            (w * 0.77, by + h * 0.015),
            (w * 0.58, by + h * 0.015),
        ],
        fill=boat,
    )
    d.rectangle([w * 0.61, by - h * 0.09, w * 0.69, by - h * 0.035], fill=boat)
    d.line(
        [(w * 0.65, by - h * 0.09), (w * 0.65, by - h * 0.15)], fill=boat, width=max(3, h // 200)
    )
    d.line(
        [(w * 0.63, by - h * 0.13), (w * 0.67, by - h * 0.13)], fill=boat, width=max(3, h // 200)
    )
    d.line(
        [(w * 0.54, by + h * 0.02), (w * 0.82, by + h * 0.02)], fill=(150, 160, 180), width=2
    )  # wake
    return img


def _pumpjack(d, cx, g, u, colour):
    """Pumpjack silhouette standing on ground line g; u is the size unit in pixels."""
    P = lambda x, y: (cx + x * u, g - y * u)  # noqa: E731
    d.rectangle([*P(-1.1, 0.06), *P(1.0, 0)], fill=colour)  # skid
    d.polygon([P(-0.25, 0), P(-0.05, 1.6), P(0.05, 1.6), P(0.25, 0)], fill=colour)  # samson post
    d.line(
        [P(-1.0, 1.75), P(0.85, 1.55)], fill=colour, width=max(4, round(u * 0.12))
    )  # walking beam
    d.polygon(
        [P(-1.0, 1.95), P(-1.25, 1.7), P(-1.25, 1.45), P(-1.0, 1.55)], fill=colour
    )  # horse head
    d.line(
        [P(-1.22, 1.45), P(-1.22, 0.25)], fill=colour, width=max(2, round(u * 0.04))
    )  # polished rod
    d.rectangle([*P(-1.3, 0.3), *P(-1.14, 0)], fill=colour)  # wellhead
    d.line([P(0.8, 1.55), P(0.62, 0.6)], fill=colour, width=max(3, round(u * 0.07)))  # pitman arm
    d.pieslice([*P(0.25, 0.95), *P(0.95, 0.25)], 200, 340, fill=colour)  # counterweight
    d.rectangle([*P(0.45, 0.6), *P(0.75, 0)], fill=colour)  # gearbox


def _oil(img, d, w, h, rng):
    g = h * 0.80
    _vgrad(d, (0, 0, w, g), (58, 30, 92), (250, 150, 60))
    d.ellipse([w * 0.60, g - h * 0.16, w * 0.78, g + h * 0.16], fill=(255, 214, 130))
    _vgrad(d, (0, g, w, h), (34, 20, 26), (14, 8, 12))
    ground = (24, 14, 20)
    d.polygon(
        [
            (0, g),
            (w * 0.3, g - h * 0.015),
            (w * 0.7, g + h * 0.005),
            (w, g - h * 0.01),
            (w, h),
            (0, h),
        ],
        fill=ground,
    )
    _pumpjack(d, w * 0.36, g, h * 0.22, ground)
    _pumpjack(d, w * 0.82, g - h * 0.01, h * 0.09, (44, 24, 36))
    return img


_DRAW = {
    "network": _network,
    "chip": _chip,
    "university": _university,
    "budget": _budget,
    "tanker": _tanker,
    "oil": _oil,
}


def render(motif: str, width: int = 1600, height: int = 900) -> bytes:
    """PNG bytes of a locally drawn illustration for the given motif."""
    if motif not in _DRAW:
        raise ValueError(f"Unknown image motif: {motif!r} (expected one of {', '.join(MOTIFS)})")
    img = Image.new("RGB", (width, height))
    img = _DRAW[motif](img, ImageDraw.Draw(img), width, height, random.Random(f"prism-{motif}"))
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()
