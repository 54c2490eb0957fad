"""Render synthetic street scenes (semantic layout, photo) for cimle with Blender.

Run:
  blender -b --factory-startup -noaudio -P render_streets.py -- \
      --out DIR -n N --size WxH --seed S [--start I] [--held-out] [--samples SPP]
  blender -b --factory-startup -noaudio -P render_streets.py -- --out DIR --merge

Scene i (i = start .. start+N-1) is named street_%05d and drawn from its own
random.Random(f"{seed}:{i}"), so any subset of indices reproduces the same
scenes (two processes can render two halves of a set into the same DIR).

A scene is a straight road seen from a car: road with dashed lane markings,
sidewalks with curbs on both sides (everything beyond the curb is sidewalk),
2-6 box buildings (one instance each, facade with a window grid), trees
(trunk + crown), poles, 1-6 cars (body + cabin + dark window band + wheels,
one instance each) parked in rows along the curbs (neighbours often touching
bumper to bumper) and sometimes one in a lane.

Outputs under DIR:
  images/NAME.png      Cycles CPU photo, 8-bit RGB, Standard view transform
  labels/NAME.png      8-bit grey Cityscapes train ids (road 0, sidewalk 1,
                       building 2, pole 5, vegetation 8, sky 10, car 13;
                       255 = unlabelled, does not occur in practice)
  instances/NAME.png   8-bit grey, 0 = no instance, k+1 = instance k
  instances/NAME.csv   rows of this scene while rendering; merged into
                       DIR/instances.csv and removed at the end of a run
  factors/NAME.json    factor values of the scene
  instances.csv        name,instance,class,value for all scenes, sorted
  scenes.json          factor definitions
  appearances/NAME/L{l}_A{a}.png   (--held-out) the same geometry and camera
                       under light l with every car paint a, every facade
                       a % 3 and season a % 3.

Instance order: cars first (in creation order: lane car if any, then parked
cars left row near-to-far, then right row near-to-far), then buildings (left
side near-to-far, then right side near-to-far). Only instances with at least
one visible pixel are kept; they are renumbered 0.. densely in that order.
"""

import argparse
import json
import math
import os
import random
import struct
import sys
import time
import zlib

import bpy

LIGHTS = ["noon", "overcast", "dusk", "night"]
LIGHT_FREQ = [0.40, 0.25, 0.20, 0.15]
SEASONS = ["summer", "autumn", "winter"]
SEASON_FREQ = [0.50, 0.30, 0.20]
PAINTS = ["red", "white", "blue", "yellow", "green"]
PAINT_FREQ = [0.42, 0.25, 0.15, 0.12, 0.06]
FACADES = ["grey", "brick", "glass"]
FACADE_FREQ = [0.60, 0.30, 0.10]

ROAD, SIDEWALK, BUILDING, POLE, VEGETATION, SKY, CAR = 0, 1, 2, 5, 8, 10, 13

PAINT_RGB = [
    (0.60, 0.02, 0.02),   # red
    (0.80, 0.80, 0.80),   # white
    (0.02, 0.08, 0.55),   # blue
    (0.85, 0.60, 0.01),   # yellow
    (0.03, 0.35, 0.05),   # green
]
SEASON_RGB = [
    (0.06, 0.28, 0.04),   # summer green
    (0.55, 0.22, 0.03),   # autumn orange-brown
    (0.30, 0.27, 0.24),   # winter grey-brown, pale
]

# light: sun colour, sun strength, sun elevation (deg), sun angle (deg),
# sky colour seen by the camera, sky colour lighting the scene.
LIGHT_DEF = [
    dict(sun=(1.0, 0.97, 0.92), strength=3.2, elev=(55, 70), angle=1.0,
         sky_cam=(0.25, 0.45, 0.90), sky_light=(0.20, 0.30, 0.50)),
    dict(sun=(0.9, 0.92, 0.95), strength=0.25, elev=(40, 60), angle=60.0,
         sky_cam=(0.50, 0.52, 0.55), sky_light=(0.55, 0.57, 0.60)),
    dict(sun=(1.0, 0.45, 0.15), strength=3.0, elev=(4, 10), angle=2.0,
         sky_cam=(0.85, 0.42, 0.35), sky_light=(0.35, 0.20, 0.22)),
    dict(sun=(0.55, 0.65, 1.0), strength=1.6, elev=(30, 50), angle=1.0,
         sky_cam=(0.05, 0.08, 0.26), sky_light=(0.16, 0.22, 0.50)),
]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- PNG I/O
def read_png(path):
    """Decode a non-interlaced 8-bit PNG; returns (w, h, channels, bytes)."""
    with open(path, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, w = 8, [], None
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if typ == b"IHDR":
            w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and inter == 0, (path, depth, inter)
            ch = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
        elif typ == b"IDAT":
            idat.append(body)
        pos += 12 + n
    raw = zlib.decompress(b"".join(idat))
    stride = w * ch
    out = bytearray(h * stride)
    prev = bytearray(stride)
    p = 0
    for y in range(h):
        ft = raw[p]
        line = bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for x in range(stride):
            a = line[x - ch] if x >= ch else 0
            b = prev[x]
            c = prev[x - ch] if x >= ch else 0
            if ft == 1:
                line[x] = (line[x] + a) & 255
            elif ft == 2:
                line[x] = (line[x] + b) & 255
            elif ft == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif ft == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                pr = a if (pa <= pb and pa <= pc) else (b if pb <= pc else c)
                line[x] = (line[x] + pr) & 255
        out[y * stride:(y + 1) * stride] = line
        prev = line
    return w, h, ch, bytes(out)


# ---------------------------------------------------------------- geometry
class MeshBuilder:
    def __init__(self):
        self.verts, self.faces, self.mats = [], [], []

    def _add(self, verts, faces, mat):
        o = len(self.verts)
        self.verts.extend(verts)
        for f in faces:
            self.faces.append(tuple(o + i for i in f))
            self.mats.append(mat)

    def box(self, x0, x1, y0, y1, z0, z1, mat=0):
        v = [(x0, y0, z0), (x1, y0, z0), (x1, y1, z0), (x0, y1, z0),
             (x0, y0, z1), (x1, y0, z1), (x1, y1, z1), (x0, y1, z1)]
        f = [(0, 3, 2, 1), (4, 5, 6, 7), (0, 1, 5, 4), (1, 2, 6, 5),
             (2, 3, 7, 6), (3, 0, 4, 7)]
        self._add(v, f, mat)

    def cylinder(self, c, r, h, axis="z", n=10, mat=0):
        """Cylinder from c along +axis (z) or centred on c along x."""
        v = []
        for k in (0, 1):
            for j in range(n):
                t = 2 * math.pi * j / n
                a, b = r * math.cos(t), r * math.sin(t)
                if axis == "z":
                    v.append((c[0] + a, c[1] + b, c[2] + k * h))
                else:
                    v.append((c[0] - h / 2 + k * h, c[1] + a, c[2] + b))
        f = [tuple(range(n - 1, -1, -1)), tuple(range(n, 2 * n))]
        for j in range(n):
            j2 = (j + 1) % n
            f.append((j, j2, n + j2, n + j))
        self._add(v, f, mat)

    def sphere(self, c, r, rz, mat=0, nu=10, nv=6):
        v = [(c[0], c[1], c[2] - rz)]
        for i in range(1, nv):
            ph = math.pi * i / nv - math.pi / 2
            for j in range(nu):
                t = 2 * math.pi * j / nu
                v.append((c[0] + r * math.cos(ph) * math.cos(t),
                          c[1] + r * math.cos(ph) * math.sin(t),
                          c[2] + rz * math.sin(ph)))
        v.append((c[0], c[1], c[2] + rz))
        top = len(v) - 1
        f = []
        for j in range(nu):
            f.append((0, 1 + (j + 1) % nu, 1 + j))
        for i in range(nv - 2):
            for j in range(nu):
                a = 1 + i * nu + j
                b = 1 + i * nu + (j + 1) % nu
                f.append((a, b, b + nu, a + nu))
        base = 1 + (nv - 2) * nu
        for j in range(nu):
            f.append((base + j, base + (j + 1) % nu, top))
        self._add(v, f, mat)

    def make(self, name, materials, label):
        me = bpy.data.meshes.new(name)
        me.from_pydata(self.verts, [], self.faces)
        me.update(calc_edges=True)
        for m in materials:
            me.materials.append(m)
        for p, mi in zip(me.polygons, self.mats):
            p.material_index = mi
        ob = bpy.data.objects.new(name, me)
        bpy.context.scene.collection.objects.link(ob)
        ob["label"] = label
        return ob


# ---------------------------------------------------------------- materials
def principled(name, rgb, rough=0.5, spec=0.5):
    m = bpy.data.materials.new(name)
    m.use_nodes = True
    b = m.node_tree.nodes["Principled BSDF"]
    b.inputs["Base Color"].default_value = (*rgb, 1.0)
    b.inputs["Roughness"].default_value = rough
    b.inputs["Specular"].default_value = spec
    return m


def facade_material(kind):
    """Facade with a window grid from object coordinates (metres)."""
    m = bpy.data.materials.new("facade_%s" % FACADES[kind])
    m.use_nodes = True
    nt = m.node_tree
    N, L = nt.nodes, nt.links
    bsdf = N["Principled BSDF"]
    tc = N.new("ShaderNodeTexCoord")
    sep = N.new("ShaderNodeSeparateXYZ")
    L.new(tc.outputs["Object"], sep.inputs[0])
    u = N.new("ShaderNodeMath"); u.operation = "ADD"
    L.new(sep.outputs[0], u.inputs[0]); L.new(sep.outputs[1], u.inputs[1])

    def band(src, period, lo, hi):
        d = N.new("ShaderNodeMath"); d.operation = "DIVIDE"
        d.inputs[1].default_value = period
        L.new(src, d.inputs[0])
        fr = N.new("ShaderNodeMath"); fr.operation = "FRACT"
        L.new(d.outputs[0], fr.inputs[0])
        g = N.new("ShaderNodeMath"); g.operation = "GREATER_THAN"
        g.inputs[1].default_value = lo
        L.new(fr.outputs[0], g.inputs[0])
        s = N.new("ShaderNodeMath"); s.operation = "LESS_THAN"
        s.inputs[1].default_value = hi
        L.new(fr.outputs[0], s.inputs[0])
        mu = N.new("ShaderNodeMath"); mu.operation = "MULTIPLY"
        L.new(g.outputs[0], mu.inputs[0]); L.new(s.outputs[0], mu.inputs[1])
        return mu.outputs[0]

    if kind == 2:   # glass: large panes, thin mullions
        mx = band(u.outputs[0], 2.0, 0.08, 0.92)
        mz = band(sep.outputs[2], 3.3, 0.15, 0.95)
        base, win, r_base, r_win = (0.20, 0.40, 0.75), (0.03, 0.10, 0.35), 0.3, 0.08
    else:
        mx = band(u.outputs[0], 3.2, 0.3, 0.7)
        mz = band(sep.outputs[2], 3.3, 0.35, 0.8)
        if kind == 0:
            base, win, r_base, r_win = (0.42, 0.42, 0.40), (0.03, 0.035, 0.05), 0.9, 0.1
        else:
            base, win, r_base, r_win = (0.40, 0.10, 0.05), (0.03, 0.035, 0.05), 0.9, 0.1
    mask = N.new("ShaderNodeMath"); mask.operation = "MULTIPLY"
    L.new(mx, mask.inputs[0]); L.new(mz, mask.inputs[1])
    mix = N.new("ShaderNodeMixRGB")
    L.new(mask.outputs[0], mix.inputs[0])
    mix.inputs[2].default_value = (*win, 1)
    if kind == 1:   # brick pattern on the wall
        cmb = N.new("ShaderNodeCombineXYZ")
        L.new(u.outputs[0], cmb.inputs[0]); L.new(sep.outputs[2], cmb.inputs[1])
        br = N.new("ShaderNodeTexBrick")
        br.inputs["Color1"].default_value = (0.45, 0.11, 0.05, 1)
        br.inputs["Color2"].default_value = (0.33, 0.08, 0.04, 1)
        br.inputs["Mortar"].default_value = (0.55, 0.50, 0.45, 1)
        br.inputs["Scale"].default_value = 1.0
        br.inputs["Mortar Size"].default_value = 0.015
        br.inputs["Brick Width"].default_value = 0.25
        br.inputs["Row Height"].default_value = 0.08
        L.new(cmb.outputs[0], br.inputs["Vector"])
        L.new(br.outputs["Color"], mix.inputs[1])
    else:
        mix.inputs[1].default_value = (*base, 1)
    L.new(mix.outputs[0], bsdf.inputs["Base Color"])
    rr = N.new("ShaderNodeMath"); rr.operation = "MULTIPLY_ADD"
    L.new(mask.outputs[0], rr.inputs[0])
    rr.inputs[1].default_value = r_win - r_base
    rr.inputs[2].default_value = r_base
    L.new(rr.outputs[0], bsdf.inputs["Roughness"])
    bsdf.inputs["Specular"].default_value = 0.5
    return m


# ---------------------------------------------------------------- scene
def clear_all():
    for coll in (bpy.data.objects, bpy.data.meshes, bpy.data.materials,
                 bpy.data.lights, bpy.data.cameras, bpy.data.worlds,
                 bpy.data.images):
        for b in list(coll):
            if getattr(b, "type", None) != "RENDER_RESULT":
                coll.remove(b)


def pick(rng, freqs):
    r = rng.random()
    acc = 0.0
    for k, f in enumerate(freqs):
        acc += f
        if r < acc:
            return k
    return len(freqs) - 1


def build_scene(rng):
    """Builds the geometry; returns a dict describing the scene."""
    mats = {
        "asphalt": principled("asphalt", (0.06, 0.06, 0.065), 0.9, 0.3),
        "marking": principled("marking", (0.75, 0.75, 0.72), 0.7),
        "sidewalk": principled("sidewalk", (0.28, 0.26, 0.24), 0.9, 0.3),
        "trunk": principled("trunk", (0.12, 0.07, 0.04), 0.9, 0.2),
        "metal": principled("metal", (0.30, 0.31, 0.33), 0.5),
        "carglass": principled("carglass", (0.015, 0.018, 0.025), 0.1, 0.6),
        "rubber": principled("rubber", (0.02, 0.02, 0.02), 0.8, 0.2),
    }
    paints = [principled("paint_" + PAINTS[k], PAINT_RGB[k], 0.35, 0.5)
              for k in range(5)]
    facades = [facade_material(k) for k in range(3)]
    seasons = [principled("veg_" + SEASONS[k], SEASON_RGB[k], 0.85, 0.3)
               for k in range(3)]

    road_half = rng.uniform(4.5, 6.5)
    sw = rng.uniform(2.5, 5.0)           # sidewalk width (building line)
    far = 1500.0

    mb = MeshBuilder()
    mb.box(-road_half, road_half, -20, far, -0.02, 0.0)
    road = mb.make("road", [mats["asphalt"]], ROAD)
    mb = MeshBuilder()
    dash, gap = rng.uniform(2.5, 4.0), rng.uniform(4.0, 8.0)
    off = rng.uniform(0, dash + gap)
    lines = [0.0] + ([-(road_half - 2.3), road_half - 2.3] if rng.random() < 0.6 else [])
    for lx in lines:
        y = -10 + off
        while y < 250:
            mb.box(lx - 0.08, lx + 0.08, y, y + dash, 0.0, 0.005)
            y += dash + gap
    markings = mb.make("markings", [mats["marking"]], ROAD)
    mb = MeshBuilder()
    for s in (-1, 1):
        x0, x1 = sorted((s * road_half, s * (road_half + 300)))
        mb.box(x0, x1, -20, far, -0.02, 0.15)
    sidewalk = mb.make("sidewalk", [mats["sidewalk"]], SIDEWALK)

    # buildings: 2-6, at least one per side
    nb = rng.randint(2, 6)
    per_side = {-1: 1, 1: 1}
    for _ in range(nb - 2):
        per_side[rng.choice((-1, 1))] += 1
    buildings = []
    for s in (-1, 1):
        y = rng.uniform(-8, 12)
        for _ in range(per_side[s]):
            w = rng.uniform(10, 32)
            h = rng.uniform(6, 32)
            d = rng.uniform(12, 20)
            setback = rng.uniform(0, 4) if rng.random() < 0.6 else 0.0
            xin = road_half + sw + setback
            mb = MeshBuilder()
            # geometry in object coordinates, origin at the street-side base
            mb.box(0, d, -w / 2, w / 2, 0, h) if s > 0 else mb.box(-d, 0, -w / 2, w / 2, 0, h)
            ob = mb.make("building", [facades[0]], BUILDING)
            ob.location = (s * xin, y + w / 2, 0.0)
            buildings.append(ob)
            y += w + (rng.uniform(0, 10) if rng.random() < 0.6 else 0.0)

    # trees and poles on the sidewalks
    trees, poles = [], []
    for s in (-1, 1):
        y = rng.uniform(2, 15)
        for _ in range(rng.randint(0, 5)):
            x = s * (road_half + rng.uniform(0.8, min(2.0, sw - 0.3)))
            th = rng.uniform(2.0, 3.2)
            cr = rng.uniform(1.1, 2.2)
            mb = MeshBuilder()
            mb.cylinder((x, y, 0.1), 0.13, th + cr * 0.5, mat=0)
            mb.sphere((x, y, th + cr * 0.9), cr, cr * 1.15, mat=1)
            trees.append(mb.make("tree", [mats["trunk"], seasons[0]], VEGETATION))
            y += rng.uniform(7, 18)
        y = rng.uniform(3, 30)
        for _ in range(rng.randint(0, 2)):
            mb = MeshBuilder()
            ph = rng.uniform(4.5, 8.0)
            x = s * (road_half + 0.35)
            mb.cylinder((x, y, 0.1), 0.08, ph, mat=0)
            if rng.random() < 0.5:   # street lamp arm over the road
                mb.box(min(x, x - s * 1.5), max(x, x - s * 1.5), y - 0.06, y + 0.06,
                       ph - 0.15, ph)
            poles.append(mb.make("pole", [mats["metal"]], POLE))
            y += rng.uniform(10, 30)

    # cars: 1-6; maybe one in a lane, the rest parked in rows by the curbs
    ncar = rng.randint(1, 6)
    cam_x = rng.uniform(0.8, road_half - 3.2)
    cars = []

    def car(x, y, length, width, flip):
        mb = MeshBuilder()
        bh = rng.uniform(0.55, 0.75)
        z0 = 0.3
        mb.box(-width / 2, width / 2, -length / 2, length / 2, z0, z0 + bh, 0)
        cl = length * rng.uniform(0.45, 0.6)
        ch = rng.uniform(0.45, 0.6)
        cw = width * 0.88
        cy = -length * rng.uniform(0.0, 0.1)
        ctop = z0 + bh + ch
        mb.box(-cw / 2, cw / 2, cy - cl / 2, cy + cl / 2, z0 + bh, ctop, 0)
        # window band: slightly larger than the cabin, leaving roof and pillars
        mb.box(-cw / 2 - 0.015, cw / 2 + 0.015, cy - cl / 2 + 0.12, cy + cl / 2 - 0.12,
               z0 + bh + 0.06, ctop - 0.1, 1)
        mb.box(-cw / 2 + 0.12, cw / 2 - 0.12, cy - cl / 2 - 0.015, cy + cl / 2 + 0.015,
               z0 + bh + 0.06, ctop - 0.1, 1)
        for sx in (-1, 1):
            for sy in (-1, 1):
                mb.cylinder((sx * (width / 2 - 0.09), sy * (length / 2 - 0.75), 0.32),
                            0.32, 0.22, axis="x", mat=2)
        ob = mb.make("car", [paints[0], mats["carglass"], mats["rubber"]], CAR)
        ob.location = (x, y, 0.0)
        if flip:
            ob.rotation_euler = (0, 0, math.pi)
        cars.append(ob)

    touching = 0
    nlane = 1 if rng.random() < 0.3 else 0
    if nlane:
        own = rng.random() < 0.5
        lx = cam_x if own else -rng.uniform(1.5, road_half - 2.6)
        car(lx, rng.uniform(7, 60), rng.uniform(3.8, 4.8), rng.uniform(1.7, 1.9),
            not own)
    nparked = ncar - nlane
    rows = {-1: 0, 1: 0}
    for _ in range(nparked):
        rows[rng.choice((-1, 1))] += 1
    for s in (-1, 1):
        y = rng.uniform(3, 35)
        for k in range(rows[s]):
            length = rng.uniform(3.8, 4.8)
            width = rng.uniform(1.7, 1.9)
            car(s * (road_half - 0.15 - width / 2), y + length / 2, length, width,
                rng.random() < 0.5)
            y += length
            if k + 1 < rows[s]:
                if rng.random() < 0.2:
                    touching += 1      # bumper to bumper
                else:
                    y += rng.uniform(0.6, 8.0)

    cam = dict(height=rng.uniform(1.2, 2.5), heading_deg=rng.uniform(-12, 12),
               pitch_deg=rng.uniform(-7, 3))
    cd = bpy.data.cameras.new("cam")
    cd.lens = rng.uniform(24, 32)
    cd.sensor_width = 36
    cd.sensor_fit = "HORIZONTAL"
    cd.clip_start = 0.1
    cd.clip_end = 3000
    co = bpy.data.objects.new("cam", cd)
    bpy.context.scene.collection.objects.link(co)
    co.location = (cam_x, 0.0, cam["height"])
    co.rotation_euler = (math.radians(90 + cam["pitch_deg"]), 0,
                         math.radians(cam["heading_deg"]))
    bpy.context.scene.camera = co

    sun_az = rng.uniform(0, 360)
    elevs = [rng.uniform(*LIGHT_DEF[l]["elev"]) for l in range(4)]
    ld = bpy.data.lights.new("sun", "SUN")
    lo = bpy.data.objects.new("sun", ld)
    bpy.context.scene.collection.objects.link(lo)

    world = bpy.data.worlds.new("world")
    world.use_nodes = True
    N, L = world.node_tree.nodes, world.node_tree.links
    out = N["World Output"]
    for n in list(N):
        if n != out:
            N.remove(n)
    bg_light, bg_cam = N.new("ShaderNodeBackground"), N.new("ShaderNodeBackground")
    lp, mix = N.new("ShaderNodeLightPath"), N.new("ShaderNodeMixShader")
    L.new(lp.outputs["Is Camera Ray"], mix.inputs[0])
    L.new(bg_light.outputs[0], mix.inputs[1])
    L.new(bg_cam.outputs[0], mix.inputs[2])
    L.new(mix.outputs[0], out.inputs["Surface"])
    bpy.context.scene.world = world

    return dict(cars=cars, buildings=buildings, trees=trees, poles=poles,
                paints=paints, facades=facades, seasons=seasons, cam=cam,
                sun=lo, sun_az=sun_az, elevs=elevs, bg_light=bg_light,
                bg_cam=bg_cam, world=world, touching=touching,
                static=[road, markings, sidewalk])


def apply_appearance(sc, light, season, paints, facades):
    d = LIGHT_DEF[light]
    sun = sc["sun"]
    sun.data.color = d["sun"]
    sun.data.energy = d["strength"]
    sun.data.angle = math.radians(d["angle"])
    el = math.radians(sc["elevs"][light])
    sun.rotation_euler = (math.pi / 2 - el, 0, math.radians(sc["sun_az"]))
    sc["bg_light"].inputs[0].default_value = (*d["sky_light"], 1)
    sc["bg_light"].inputs[1].default_value = 1.0
    sc["bg_cam"].inputs[0].default_value = (*d["sky_cam"], 1)
    sc["bg_cam"].inputs[1].default_value = 1.0
    for ob, p in zip(sc["cars"], paints):
        ob.material_slots[0].material = sc["paints"][p]
    for ob, f in zip(sc["buildings"], facades):
        ob.material_slots[0].material = sc["facades"][f]
    for ob in sc["trees"]:
        ob.material_slots[1].material = sc["seasons"][season]


# ---------------------------------------------------------------- rendering
def setup_common(scene, w, h):
    r = scene.render
    r.resolution_x, r.resolution_y, r.resolution_percentage = w, h, 100
    r.use_compositing = False
    r.use_sequencer = False
    r.dither_intensity = 0.0
    r.image_settings.file_format = "PNG"
    r.image_settings.color_depth = "8"
    r.image_settings.compression = 100
    for p in dir(r):
        if p.startswith("use_stamp"):
            setattr(r, p, False)
    r.use_file_extension = False
    scene.frame_set(1)


def set_cycles(scene, samples, denoise):
    scene.render.engine = "CYCLES"
    c = scene.cycles
    c.device = "CPU"
    c.samples = samples
    c.seed = 0
    c.use_animated_seed = False
    c.use_adaptive_sampling = False
    c.max_bounces = 4
    c.diffuse_bounces = 2
    c.glossy_bounces = 2
    c.transmission_bounces = 2
    c.volume_bounces = 0
    c.transparent_max_bounces = 2
    c.caustics_reflective = False
    c.caustics_refractive = False
    c.filter_width = 1.0
    c.use_denoising = denoise
    if denoise:
        c.denoiser = "OPENIMAGEDENOISE"
    scene.display_settings.display_device = "sRGB"
    v = scene.view_settings
    v.view_transform = "Standard"
    v.look = "None"
    v.exposure = 0.0
    v.gamma = 1.0
    scene.render.image_settings.color_mode = "RGB"
    scene.render.film_transparent = False


def set_workbench(scene):
    scene.render.engine = "BLENDER_WORKBENCH"
    d = scene.display
    d.render_aa = "OFF"
    s = d.shading
    s.light = "FLAT"
    s.color_type = "OBJECT"
    for p in ("show_shadows", "show_cavity", "show_object_outline",
              "show_specular_highlight", "show_xray", "use_dof",
              "show_backface_culling"):
        if hasattr(s, p):
            setattr(s, p, False)
    try:
        scene.display_settings.display_device = "None"
    except TypeError:
        scene.display_settings.display_device = "NONE"
    v = scene.view_settings
    v.view_transform = "Standard"
    v.look = "None"
    v.exposure = 0.0
    v.gamma = 1.0
    scene.render.image_settings.color_mode = "BW"


def strip_png_text(path):
    """Drops text chunks (Cycles writes render times there) so that the same
    scene gives the same bytes."""
    with open(path, "rb") as f:
        data = f.read()
    out, pos = [data[:8]], 8
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        if typ not in (b"tEXt", b"zTXt", b"iTXt", b"tIME"):
            out.append(data[pos:pos + 12 + n])
        pos += 12 + n
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(b"".join(out))
    os.replace(tmp, path)


def render_to(scene, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    scene.render.filepath = path
    bpy.ops.render.render(write_still=True)
    strip_png_text(path)


def grey(v):
    return (v / 255.0, v / 255.0, v / 255.0, 1.0)


def label_pass(scene, sc, path):
    set_workbench(scene)
    scene.world.color = grey(SKY)[:3]
    for ob in scene.objects:
        if "label" in ob:
            ob.color = grey(ob["label"])
    render_to(scene, path)
    w, h, ch, px = read_png(path)
    assert ch == 1, path
    ids = set(px)
    ok = {ROAD, SIDEWALK, BUILDING, POLE, VEGETATION, SKY, CAR, 255}
    assert ids <= ok, (path, sorted(ids))


def instance_pass(scene, sc, path, instances):
    """Renders the instance map; returns the list of visible instances
    (renumbered densely, order kept)."""
    set_workbench(scene)
    scene.world.color = (0.0, 0.0, 0.0)

    def paint(objs):
        for ob in scene.objects:
            if "label" in ob:
                ob.color = grey(0)
        for k, ob in enumerate(objs):
            ob.color = grey(k + 1)

    objs = [i["object"] for i in instances]
    paint(objs)
    render_to(scene, path)
    _, _, ch, px = read_png(path)
    counts = [0] * 256
    for v in px:
        counts[v] += 1
    visible = [i for k, i in enumerate(instances) if counts[k + 1] > 0]
    if len(visible) != len(instances):
        paint([i["object"] for i in visible])
        render_to(scene, path)
        _, _, ch, px = read_png(path)
        assert max(px) <= len(visible), path
    return visible


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp%d" % os.getpid()
    with open(tmp, "w") as f:
        json.dump(obj, f)
        f.write("\n")
    os.replace(tmp, path)


def merge(out):
    """Merges instances/NAME.csv into DIR/instances.csv (under a lock; rows
    of a scene in a per-scene file replace that scene's rows), then removes
    the per-scene files. Safe for several processes writing into one DIR."""
    import fcntl
    d = os.path.join(out, "instances")
    lock = os.open(out, os.O_RDONLY)    # lock the directory itself
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        rows = {}
        main_csv = os.path.join(out, "instances.csv")
        if os.path.exists(main_csv):
            with open(main_csv) as f:
                for line in f.read().splitlines()[1:]:
                    if line:
                        rows.setdefault(line.split(",")[0], []).append(line)
        done = []
        if os.path.isdir(d):
            for fn in sorted(os.listdir(d)):
                if fn.endswith(".csv"):
                    with open(os.path.join(d, fn)) as f:
                        rows[fn[:-4]] = [l for l in f.read().splitlines() if l]
                    done.append(os.path.join(d, fn))
        tmp = main_csv + ".tmp%d" % os.getpid()
        n = 0
        with open(tmp, "w") as f:
            f.write("name,instance,class,value\n")
            for name in sorted(rows):
                for r in sorted(rows[name], key=lambda r: int(r.split(",")[1])):
                    f.write(r + "\n")
                    n += 1
        os.replace(tmp, main_csv)
        for p in done:
            os.remove(p)
    finally:
        os.close(lock)
    return n


def scenes_json(out, w, h, samples):
    write_json(os.path.join(out, "scenes.json"), {
        "factors": [
            {"name": "light", "scope": "scene", "values": LIGHTS,
             "frequencies": LIGHT_FREQ},
            {"name": "season", "scope": "scene", "class": VEGETATION,
             "values": SEASONS, "frequencies": SEASON_FREQ},
            {"name": "paint", "scope": "instance", "class": CAR,
             "values": PAINTS, "frequencies": PAINT_FREQ},
            {"name": "facade", "scope": "instance", "class": BUILDING,
             "values": FACADES, "frequencies": FACADE_FREQ},
        ],
        "size": [w, h],
        "samples": samples,
        "renderer": "Blender %s Cycles CPU" % bpy.app.version_string,
    })


def main():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    ap = argparse.ArgumentParser(prog="render_streets.py")
    ap.add_argument("--out", required=True)
    ap.add_argument("-n", type=int, default=1)
    ap.add_argument("--size", default="64x32")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--held-out", action="store_true")
    ap.add_argument("--samples", type=int, default=32)
    ap.add_argument("--merge", action="store_true",
                    help="only merge instances/*.csv into instances.csv")
    a = ap.parse_args(argv)
    out = os.path.abspath(a.out)
    if a.merge:
        log("merged %d rows" % merge(out))
        return
    w, h = (int(v) for v in a.size.lower().split("x"))
    try:
        import _cycles
        denoise = bool(getattr(_cycles, "with_openimagedenoise", False))
    except Exception:
        denoise = False
    os.makedirs(out, exist_ok=True)
    scenes_json(out, w, h, a.samples)
    scene = bpy.context.scene
    t_all, n_frames, t_photo = time.time(), 0, 0.0
    for i in range(a.start, a.start + a.n):
        t0 = time.time()
        name = "street_%05d" % i
        rng = random.Random("%d:%d" % (a.seed, i))
        clear_all()
        setup_common(scene, w, h)
        sc = build_scene(rng)
        # appearance factors (drawn after the geometry)
        light = pick(rng, LIGHT_FREQ)
        season = pick(rng, SEASON_FREQ)
        paints = [pick(rng, PAINT_FREQ) for _ in sc["cars"]]
        facades = [pick(rng, FACADE_FREQ) for _ in sc["buildings"]]
        instances = ([dict(object=o, cls=CAR, value=v) for o, v in zip(sc["cars"], paints)]
                     + [dict(object=o, cls=BUILDING, value=v)
                        for o, v in zip(sc["buildings"], facades)])

        label_pass(scene, sc, os.path.join(out, "labels", name + ".png"))
        visible = instance_pass(scene, sc, os.path.join(out, "instances", name + ".png"),
                                instances)
        set_cycles(scene, a.samples, denoise)
        apply_appearance(sc, light, season, paints, facades)
        render_to(scene, os.path.join(out, "images", name + ".png"))
        t1 = time.time()
        t_photo += t1 - t0
        n_frames += 1
        nref = 0
        if a.held_out:
            for l in range(4):
                for ap_ in range(5):
                    apply_appearance(sc, l, ap_ % 3, [ap_] * len(sc["cars"]),
                                     [ap_ % 3] * len(sc["buildings"]))
                    render_to(scene, os.path.join(out, "appearances", name,
                                                  "L%d_A%d.png" % (l, ap_)))
                    nref += 1
        rows = [dict(instance=k, **{"class": v["cls"]}, value=v["value"])
                for k, v in enumerate(visible)]
        write_json(os.path.join(out, "factors", name + ".json"), {
            "light": light, "season": season,
            "camera": {k: round(v, 4) for k, v in sc["cam"].items()},
            "instances": rows, "seed": a.seed, "index": i})
        tmp = os.path.join(out, "instances", name + ".csv.tmp")
        with open(tmp, "w") as f:
            for r in rows:
                f.write("%s,%d,%d,%d\n" % (name, r["instance"], r["class"], r["value"]))
        os.replace(tmp, os.path.join(out, "instances", name + ".csv"))
        log("%s light=%s season=%s cars=%d/%d buildings=%d/%d touching=%d "
            "%.2fs (photo+labels %.2fs, %d refs)" % (
                name, LIGHTS[light], SEASONS[season],
                sum(1 for v in visible if v["cls"] == CAR), len(sc["cars"]),
                sum(1 for v in visible if v["cls"] == BUILDING), len(sc["buildings"]),
                sc["touching"], time.time() - t0, t1 - t0, nref))
    n = merge(out)
    dt = time.time() - t_all
    log("done: %d scenes, %d instance rows in instances.csv; mean %.3f s per "
        "frame (photo + label + instance passes), %.3f s per scene in all"
        % (a.n, n, t_photo / max(1, n_frames), dt / max(1, a.n)))


if __name__ == "__main__":
    main()
