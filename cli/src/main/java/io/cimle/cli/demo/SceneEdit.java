package io.cimle.cli.demo;

import io.cimle.core.data.ClassMap;
import io.cimle.core.data.LabelSet;

/**
 * The demo's scene edit: the buildings of the left third become vegetation and the cars move right by a quarter of
 * the width, the road filling where they stood.
 */
final class SceneEdit {
    private SceneEdit() {
    }

    static ClassMap apply(ClassMap map, LabelSet labels) {
        int building = labels.classNames().indexOf("building");
        int vegetation = labels.classNames().indexOf("vegetation");
        int car = labels.classNames().indexOf("car");
        int road = labels.classNames().indexOf("road");
        int[] ids = map.ids().clone();
        int w = map.width();
        int h = map.height();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w / 3; x++) {
                if (ids[y * w + x] == building) {
                    ids[y * w + x] = vegetation;
                }
            }
        }
        int shift = w / 4;
        int[] moved = ids.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ids[y * w + x] == car) {
                    moved[y * w + x] = road;
                }
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (ids[y * w + x] == car && x + shift < w) {
                    moved[y * w + x + shift] = car;
                }
            }
        }
        return new ClassMap(w, h, map.channels(), moved);
    }
}
