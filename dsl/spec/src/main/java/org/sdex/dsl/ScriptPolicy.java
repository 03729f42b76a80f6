package org.sdex.dsl;

import java.util.List;
import java.util.Set;
import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.control.customizers.SecureASTCustomizer;
import org.codehaus.groovy.syntax.Types;
import org.sdex.core.config.ConfigException;
import org.sdex.core.config.SourceLocation;

/**
 * The restricted form of the DSL: the experiment vocabulary, literals, arithmetic, variables,
 * helper methods, closures and loops; no imports, classes, {@code new}, annotations (so no
 * {@code @Grab} or AST transforms), class references ({@code System}, {@code File}, {@code Eval}),
 * reflection or metaprogramming names, computed method names, casts to other than plain types.
 * The first rejected construct is a {@link ConfigException} at its script line.
 *
 * <p>Groovy documents that an AST check alone is no security boundary (dynamic dispatch reaches far);
 * it is the first of two layers, the second being the separate, confined process of
 * {@link SandboxedEvaluation}.
 */
final class ScriptPolicy {
    private ScriptPolicy() {}

    /** Names that reach the runtime, the class system, files, processes or the network. */
    private static final Set<String> DENIED_NAMES = Set.of(
            "class", "getClass", "metaClass", "getMetaClass", "setMetaClass", "classLoader", "getClassLoader",
            "invokeMethod", "getProperty", "setProperty", "properties", "getProperties", "binding", "getBinding",
            "setBinding", "evaluate", "run", "execute", "exit", "halt", "sleep", "wait", "notify", "notifyAll",
            "forName", "newInstance", "loadClass", "invoke", "getDeclaredMethod", "getDeclaredMethods", "getMethod",
            "getMethods", "getDeclaredField", "getDeclaredFields", "getField", "getFields", "getDeclaredConstructor",
            "getConstructor", "toURL", "toURI", "asType", "delegate", "owner", "thisObject", "getDelegate", "getOwner",
            "setDelegate", "rehydrate", "dehydrate", "mixin", "use",
            "getText", "withReader", "newReader", "eachLine", "readLines", "load", "parse", "identity");

    /** Types a value may be cast or coerced to ({@code x as int}). */
    private static final Set<String> PLAIN_TYPES = Set.of("int", "long", "double", "float", "short", "byte", "boolean",
            "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float", "java.lang.Boolean",
            "java.lang.String", "java.lang.Object", "java.util.List", "java.util.Map", "java.math.BigDecimal",
            "java.math.BigInteger", "java.lang.Number");

    /** Adds the restriction to a compiler configuration. */
    static void restrict(CompilerConfiguration cc) {
        // @Grab is a global transformation: disabled, not just rejected afterwards
        cc.setDisabledGlobalASTTransformations(Set.of("groovy.grape.GrabAnnotationTransformation"));
        SecureASTCustomizer secure = new SecureASTCustomizer();
        secure.setPackageAllowed(false);
        secure.setAllowedImports(List.of());
        secure.setAllowedStarImports(List.of());
        secure.setAllowedStaticImports(List.of());
        secure.setAllowedStaticStarImports(List.of());
        secure.setIndirectImportCheckEnabled(false);
        cc.addCompilationCustomizers(new Shape(), new Expressions(), secure);
    }

    /**
     * Before anything is resolved or transformed: no imports, no classes besides the script, no
     * annotations (local AST transformations such as {@code @ASTTest} run code while compiling).
     */
    private static final class Shape extends CompilationCustomizer {
        Shape() { super(CompilePhase.CONVERSION); }

        @Override
        public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) throws CompilationFailedException {
            ModuleNode module = source.getAST();
            String file = source.getName();
            if (!module.getImports().isEmpty() || !module.getStarImports().isEmpty()
                    || !module.getStaticImports().isEmpty() || !module.getStaticStarImports().isEmpty()) {
                ASTNode first = !module.getImports().isEmpty() ? module.getImports().get(0)
                        : !module.getStarImports().isEmpty() ? module.getStarImports().get(0)
                        : !module.getStaticImports().isEmpty() ? module.getStaticImports().values().iterator().next()
                        : module.getStaticStarImports().values().iterator().next();
                throw refuse(file, first, "imports");
            }
            if (module.getPackage() != null) throw refuse(file, module.getPackage(), "package declarations");
            if (!classNode.isScript()) throw refuse(file, classNode, "class declarations ('" + classNode.getNameWithoutPackage() + "')");
            new Annotations(source).visitClass(classNode);
        }
    }

    private static final class Annotations extends ClassCodeVisitorSupport {
        private final SourceUnit source;

        Annotations(SourceUnit source) { this.source = source; }

        @Override protected SourceUnit getSourceUnit() { return source; }

        @Override
        public void visitAnnotations(AnnotatedNode node) {
            for (AnnotationNode a : node.getAnnotations()) {
                // the compiler's own (the script base class) have no position in the source
                if (a.getLineNumber() > 0) throw refuse(source.getName(), a, "annotations (@" + a.getClassNode().getNameWithoutPackage() + ")");
            }
        }

        @Override
        public void visitDeclarationExpression(DeclarationExpression e) {
            visitAnnotations(e);
            super.visitDeclarationExpression(e);
        }
    }

    /** After names are resolved, so {@code System}, {@code Eval} and {@code java.io.File} are class references. */
    private static final class Expressions extends CompilationCustomizer {
        Expressions() { super(CompilePhase.CANONICALIZATION); }

        @Override
        public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) throws CompilationFailedException {
            Checker checker = new Checker(source, classNode);
            for (MethodNode m : classNode.getMethods()) {
                // the script's run() and helper methods; the compiler's main(), placed at no line, runs the script
                boolean compilers = m.getName().equals("main") && m.isStatic() && m.getLineNumber() < 1;
                if (m.getCode() != null && !compilers) m.getCode().visit(checker);
            }
        }
    }

    private static final class Checker extends ClassCodeVisitorSupport {
        private final SourceUnit source;
        private final ClassNode script;

        Checker(SourceUnit source, ClassNode script) {
            this.source = source;
            this.script = script;
        }

        @Override protected SourceUnit getSourceUnit() { return source; }

        @Override
        public void visitClassExpression(ClassExpression e) {
            // Math's static methods are pure functions of numbers (Math.sqrt(2)); its reflective names are refused like any
            if (e.getType().getName().equals("java.lang.Math")) return;
            throw refuse(source.getName(), e, "class references ('" + e.getType().getNameWithoutPackage() + "')");
        }

        @Override
        public void visitConstructorCallExpression(ConstructorCallExpression e) {
            throw refuse(source.getName(), e, "'new' (" + e.getType().getNameWithoutPackage() + ")");
        }

        @Override
        public void visitMethodPointerExpression(MethodPointerExpression e) {
            throw refuse(source.getName(), e, "method pointers (.&)");
        }

        @Override
        public void visitAttributeExpression(AttributeExpression e) {
            throw refuse(source.getName(), e, "field access (.@)");
        }

        @Override
        public void visitStaticMethodCallExpression(StaticMethodCallExpression e) {
            if (!e.getOwnerType().equals(script)) {
                throw refuse(source.getName(), e, "static calls ('" + e.getOwnerType().getNameWithoutPackage() + "." + e.getMethod() + "')");
            }
            checkName(e, e.getMethod());
            super.visitStaticMethodCallExpression(e);
        }

        @Override
        public void visitMethodCallExpression(MethodCallExpression e) {
            if (!(e.getMethod() instanceof ConstantExpression c) || !(c.getValue() instanceof String name)) {
                throw refuse(source.getName(), e, "computed method names");
            }
            if (!isEvaluateBlock(e, name)) checkName(e, name);
            super.visitMethodCallExpression(e);
        }

        @Override
        public void visitPropertyExpression(PropertyExpression e) {
            if (!(e.getProperty() instanceof ConstantExpression c) || !(c.getValue() instanceof String name)) {
                throw refuse(source.getName(), e, "computed property names");
            }
            checkName(e, name);
            super.visitPropertyExpression(e);
        }

        @Override
        public void visitVariableExpression(VariableExpression e) {
            checkName(e, e.getName());
            super.visitVariableExpression(e);
        }

        @Override
        public void visitBinaryExpression(BinaryExpression e) {
            // x['class'] reads a property like x.class does
            if (e.getOperation().getType() == Types.LEFT_SQUARE_BRACKET && e.getRightExpression() instanceof ConstantExpression c
                    && c.getValue() instanceof String s && DENIED_NAMES.contains(s)) {
                throw refuse(source.getName(), e, "'" + s + "'");
            }
            super.visitBinaryExpression(e);
        }

        @Override
        public void visitCastExpression(CastExpression e) {
            if (!PLAIN_TYPES.contains(e.getType().getName())) {
                throw refuse(source.getName(), e, "conversion to " + e.getType().getNameWithoutPackage());
            }
            super.visitCastExpression(e);
        }

        /**
         * The DSL's {@code evaluate { ... }} block: a call on the script or a block with one closure
         * literal as its only argument. Groovy's own {@code evaluate} takes a string or a file, so a
         * closure never reaches it; {@code evaluate('code')} and every other form stay refused.
         */
        private static boolean isEvaluateBlock(MethodCallExpression e, String name) {
            return name.equals("evaluate") && e.isImplicitThis()
                    && e.getArguments() instanceof ArgumentListExpression args
                    && args.getExpressions().size() == 1 && args.getExpression(0) instanceof ClosureExpression;
        }

        private void checkName(ASTNode where, String name) {
            if (DENIED_NAMES.contains(name)) throw refuse(source.getName(), where, "'" + name + "'");
        }
    }

    private static ConfigException refuse(String file, ASTNode node, String what) {
        return new ConfigException(new SourceLocation(file, Math.max(node.getLineNumber(), 0)),
                what + " not allowed in an experiment script (the DSL runs restricted; --trusted runs your own scripts as full Groovy)");
    }
}
