package io.cimle.core.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The connected components of each class in a layout (8-connectivity): the label-free proxy for
 * instances that most label maps (GTA-5, Cityscapes' train ids, BDD100K) leave implicit. Two cars that
 * touch are one component; a car cut in two by a pole is two.
 *
 * <p>Order, the one stated rule every code part relies on: within a class, components by size (pixels)
 * descending, ties broken by the raster position (y * width + x) of their first pixel. Rank 0 is the
 * class's largest component. Components smaller than {@link #minInstancePixels} count as fragments,
 * not instances: {@link #rank} gives them rank 0, so they share the class's largest component's part.
 *
 * <p>Where the layout carries an instance map ({@link ClassMap#instances()}), each given instance (its class
 * and value) is one component, connected or not, so two cars that touch are two; pixels with no instance
 * (value 0: stuff, crowds, unlabelled objects) fall back to connected components among themselves. Both
 * kinds rank together by the same order.
 */
public final class LayoutComponents {
    private final int[] componentAt; // per pixel: index into classOf/size/rank
    private final int[] classOf;
    private final int[] size;
    private final int[] rank;
    private final int minPixels;

    private LayoutComponents(int[] componentAt, int[] classOf, int[] size, int[] rank, int minPixels) {
        this.componentAt = componentAt;
        this.classOf = classOf;
        this.size = size;
        this.rank = rank;
        this.minPixels = minPixels;
    }

    /**
     * Components smaller than this are fragments: 1/2048 of the image, at least 4 pixels (a 32x64 layout: 4;
     * 256x512: 64, an 8x8 car).
     */
    public static int minInstancePixels(int width, int height) {
        return Math.max(4, width * height / 2048);
    }

    public static LayoutComponents of(ClassMap layout) {
        int w = layout.width();
        int h = layout.height();
        int[] ids = layout.ids();
        int[] instances = layout.instances(); // null: components only
        int[] at = new int[ids.length];
        Arrays.fill(at, -1);
        List<int[]> found = new ArrayList<>(); // {class, size, first pixel}
        if (instances != null) {
            // A given instance is one object wherever its pixels lie (a car cut by a pole stays one car).
            Map<Long, Integer> byKey = new HashMap<>();
            for (int p = 0; p < ids.length; p++) {
                if (instances[p] != 0) {
                    long key = ((long) ids[p] << 32) | instances[p];
                    Integer index = byKey.get(key);
                    if (index == null) {
                        index = found.size();
                        byKey.put(key, index);
                        found.add(new int[] {ids[p], 0, p});
                    }
                    at[p] = index;
                    found.get(index)[1]++;
                }
            }
        }
        int[] stack = new int[ids.length];
        for (int start = 0; start < ids.length; start++) {
            if (at[start] >= 0) {
                continue;
            }
            int c = ids[start];
            int index = found.size();
            int top = 0;
            int count = 0;
            stack[top++] = start;
            at[start] = index;
            while (top > 0) {
                int p = stack[--top];
                count++;
                int x = p % w;
                int y = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    int ny = y + dy;
                    if (ny < 0 || ny >= h) {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++) {
                        int nx = x + dx;
                        int q = ny * w + nx;
                        if (nx >= 0 && nx < w && at[q] < 0 && ids[q] == c) {
                            at[q] = index;
                            stack[top++] = q;
                        }
                    }
                }
            }
            found.add(new int[] {c, count, start});
        }
        int n = found.size();
        int[] classOf = new int[n];
        int[] size = new int[n];
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            classOf[i] = found.get(i)[0];
            size[i] = found.get(i)[1];
            first[i] = found.get(i)[2];
        }
        // Rank within the class: larger first, then the earlier first pixel.
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> classOf[a] != classOf[b] ? Integer.compare(classOf[a], classOf[b])
                : size[a] != size[b] ? Integer.compare(size[b], size[a]) : Integer.compare(first[a], first[b]));
        int[] rank = new int[n];
        for (int i = 0, r = 0; i < n; i++) {
            r = i > 0 && classOf[order[i]] == classOf[order[i - 1]] ? r + 1 : 0;
            rank[order[i]] = r;
        }
        return new LayoutComponents(at, classOf, size, rank, minInstancePixels(w, h));
    }

    /** How many components, over all classes. */
    public int count() {
        return classOf.length;
    }

    /** The component of each pixel (row-major), an index in [0, count()). */
    public int[] componentAt() {
        return componentAt.clone();
    }

    public int componentAt(int pixel) {
        return componentAt[pixel];
    }

    public int classOf(int component) {
        return classOf[component];
    }

    public int size(int component) {
        return size[component];
    }

    /** Whether the component is an instance (at least {@link #minInstancePixels}), not a fragment. */
    public boolean isInstance(int component) {
        return size[component] >= minPixels;
    }

    /** The component's rank within its class by the stated order; 0 for fragments. */
    public int rank(int component) {
        return isInstance(component) ? rank[component] : 0;
    }

    /** Instances (not fragments) of class {@code c}, in rank order. */
    public int[] instancesOf(int c) {
        return IntStream.range(0, count()).filter(i -> classOf[i] == c && isInstance(i)).boxed()
                .sorted((a, b) -> Integer.compare(rank[a], rank[b])).mapToInt(Integer::intValue).toArray();
    }
}
