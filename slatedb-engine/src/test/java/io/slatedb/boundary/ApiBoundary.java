package io.slatedb.boundary;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The engine's API boundary, checked on compiled classes. The engine's public packages are
 * {@link #PUBLIC_PACKAGES}; every other package of the engine is internal. Two rules:
 * <ul>
 *   <li>{@link #internalReferences}: the classes of another module (the command line, connectors) refer
 *       to no class of an internal engine package, in any constant of their class files.</li>
 *   <li>{@link #leakingSignatures}: no public or protected constructor, method, field or record component
 *       of a public type of a public package mentions an internal type, generic arguments included.</li>
 * </ul>
 * A module adds the first check with one test: {@code assertEquals(List.of(),
 * ApiBoundary.internalReferences(ApiBoundary.classesOf(SomeClassOfTheModule.class)))}.
 */
public final class ApiBoundary {

    /** The engine's public packages. */
    public static final Set<String> PUBLIC_PACKAGES = Set.of("io.slatedb", "io.slatedb.store", "io.slatedb.metrics");

    private static final Pattern CLASS_NAME = Pattern.compile("io/slatedb/[A-Za-z0-9_$/]+");

    private ApiBoundary() {
    }

    /** Where the class files of {@code type}'s module are: its classes directory or jar. */
    public static Path classesOf(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The engine's internal packages: every package of its classes but the public ones. */
    public static Set<String> internalPackages() {
        Set<String> packages = new TreeSet<>();
        forEachClassFile(classesOf(io.slatedb.Db.class), (name, bytes) -> packages.add(packageOf(name)));
        packages.removeAll(PUBLIC_PACKAGES);
        packages.removeIf(p -> !p.startsWith("io.slatedb"));
        return packages;
    }

    /**
     * Every reference from a class under {@code classes} (a classes directory or jar) to a class of an
     * internal engine package, as {@code "referring.Class -> internal.Class"}, sorted.
     */
    public static List<String> internalReferences(Path classes) {
        Set<String> internal = internalPackages();
        Set<String> found = new TreeSet<>();
        forEachClassFile(classes, (name, bytes) -> {
            for (String referenced : referencedClasses(bytes)) {
                if (internal.contains(packageOf(referenced))) {
                    found.add(name + " -> " + referenced);
                }
            }
        });
        return new ArrayList<>(found);
    }

    /**
     * Every public or protected member (constructor, method, field, record component) of a public type of
     * a public engine package whose signature mentions a type of an internal engine package, sorted.
     */
    public static List<String> leakingSignatures() {
        Set<String> internal = internalPackages();
        Set<String> found = new TreeSet<>();
        forEachClassFile(classesOf(io.slatedb.Db.class), (name, bytes) -> {
            if (!PUBLIC_PACKAGES.contains(packageOf(name)) || name.endsWith("-info")) {
                return;
            }
            Class<?> type = load(name);
            if (!isExported(type)) {
                return;
            }
            checkType(type, type.getGenericSuperclass(), "superclass", internal, found);
            for (Type iface : type.getGenericInterfaces()) {
                checkType(type, iface, "interface", internal, found);
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                checkExecutable(type, c, internal, found);
            }
            for (Method m : type.getDeclaredMethods()) {
                if (!m.isSynthetic()) {
                    checkExecutable(type, m, internal, found);
                    checkType(type, m.getGenericReturnType(), m.getName() + " returns", m, internal, found);
                }
            }
            for (Field f : type.getDeclaredFields()) {
                if (!f.isSynthetic()) {
                    checkType(type, f.getGenericType(), "field " + f.getName(), f, internal, found);
                }
            }
            if (type.isRecord()) {
                for (RecordComponent rc : type.getRecordComponents()) {
                    checkType(type, rc.getGenericType(), "record component " + rc.getName(), internal, found);
                }
            }
        });
        return new ArrayList<>(found);
    }

    /** The classes a class file names in its constant pool: class entries, descriptors and signatures. */
    static Set<String> referencedClasses(byte[] classFile) {
        Set<String> names = new TreeSet<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile))) {
            in.readInt(); // magic
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> {
                        Matcher m = CLASS_NAME.matcher(in.readUTF());
                        while (m.find()) {
                            names.add(m.group().replace('/', '.'));
                        }
                    }
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // longs and doubles take two slots
                    }
                    case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 9, 10, 11, 12, 17, 18 -> in.readInt();
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IllegalStateException("unknown constant pool tag " + tag);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    private static void checkExecutable(Class<?> owner, Executable e, Set<String> internal, Set<String> found) {
        if (!isExported(e)) {
            return;
        }
        String what = (e instanceof Constructor<?> ? "constructor" : e.getName()) + " takes";
        for (Type p : e.getGenericParameterTypes()) {
            checkType(owner, p, what, internal, found);
        }
        for (Type t : e.getGenericExceptionTypes()) {
            checkType(owner, t, (e instanceof Constructor<?> ? "constructor" : e.getName()) + " throws", internal,
                    found);
        }
        for (TypeVariable<?> v : e.getTypeParameters()) {
            for (Type bound : v.getBounds()) {
                checkType(owner, bound, what + " type parameter", internal, found);
            }
        }
    }

    private static void checkType(Class<?> owner, Type type, String what, Member member, Set<String> internal,
                                  Set<String> found) {
        if (isExported(member)) {
            checkType(owner, type, what, internal, found);
        }
    }

    private static void checkType(Class<?> owner, Type type, String what, Set<String> internal, Set<String> found) {
        mentionedClasses(type, new ArrayList<>()).stream()
                .filter(c -> internal.contains(c.getPackageName()))
                .forEach(c -> found.add(owner.getName() + ": " + what + " " + c.getName()));
    }

    private static List<Class<?>> mentionedClasses(Type type, List<Class<?>> into) {
        if (type instanceof Class<?> c) {
            into.add(c.isArray() ? c.getComponentType() : c);
        } else if (type instanceof ParameterizedType p) {
            mentionedClasses(p.getRawType(), into);
            for (Type arg : p.getActualTypeArguments()) {
                mentionedClasses(arg, into);
            }
        } else if (type instanceof GenericArrayType a) {
            mentionedClasses(a.getGenericComponentType(), into);
        } else if (type instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
                    .forEach(t -> mentionedClasses(t, into));
        }
        return into; // type variables are checked where they are declared
    }

    /** Whether a type is reachable from outside its package: it and its enclosing types public or protected. */
    private static boolean isExported(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            int mods = c.getModifiers();
            if (c.isAnonymousClass() || c.isLocalClass() || !(Modifier.isPublic(mods) || Modifier.isProtected(mods))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isExported(Member member) {
        int mods = member.getModifiers();
        return Modifier.isPublic(mods) || (Modifier.isProtected(mods)
                && !Modifier.isFinal(member.getDeclaringClass().getModifiers()));
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ApiBoundary.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? "" : className.substring(0, dot);
    }

    private interface ClassFileVisitor {
        void visit(String className, byte[] bytes);
    }

    private static void forEachClassFile(Path classes, ClassFileVisitor visitor) {
        try {
            if (Files.isDirectory(classes)) {
                try (Stream<Path> files = Files.walk(classes)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                        String relative = classes.relativize(file).toString().replace(file.getFileSystem()
                                .getSeparator(), "/");
                        visitor.visit(className(relative), Files.readAllBytes(file));
                    }
                }
            } else {
                try (ZipFile jar = new ZipFile(classes.toFile())) {
                    for (ZipEntry entry : jar.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                        if (entry.getName().startsWith("META-INF/")) {
                            continue;
                        }
                        try (InputStream in = jar.getInputStream(entry)) {
                            visitor.visit(className(entry.getName()), in.readAllBytes());
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String className(String relativePath) {
        return relativePath.substring(0, relativePath.length() - ".class".length()).replace('/', '.');
    }
}
