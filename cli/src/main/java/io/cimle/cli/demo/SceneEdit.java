package io.cimle.cli.demo;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.ToyScenes;

/** The demo's scene edit: the upper-left building block becomes vegetation and the car, if any, moves right. */
final class SceneEdit {
    private SceneEdit() {
    }

    static ClassMap apply(ClassMap map) {
        int[] ids = map.ids().clone();
        int w = map.width();
        int h = map.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w / 3; x++) {
                if (ids[y * w + x] == ToyScenes.BUILDING) {
                    ids[y * w + x] = ToyScenes.VEGETATION;
                }
            }
        }
        int shift = w / 4;
        int[] moved = ids.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ids[y * w + x] == ToyScenes.CAR) {
                    moved[y * w + x] = ToyScenes.ROAD;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ids[y * w + x] == ToyScenes.CAR && x + shift < w) {
                    moved[y * w + x + shift] = ToyScenes.CAR;
                }
            }
        }
        return new ClassMap(w, h, map.channels(), moved);
    }
}
