/* bm-edit-controller.c: the object, the editor it drives, the label popover, the operations the
 * window's actions call. Input, overlay and actions are in the bm-edit-controller-*.c files.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "bm-edit-controller-private.h"


G_DEFINE_FINAL_TYPE (BmEditController, bm_edit_controller, G_TYPE_OBJECT)

enum {
  EDITED,
  ERROR,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Helpers ------------------------------------------------------------------------------------ */

double
_bm_edit_controller_tolerance (BmEditController *self)
{
  double zoom = bm_canvas_get_zoom (self->canvas);

  return BM_EDIT_CONTROLLER_TOLERANCE / (zoom > 0 ? zoom : 1.0);
}

gboolean
_bm_edit_controller_can_edit (BmEditController *self)
{
  return self->editor != NULL && bm_editor_can_edit (self->editor);
}

void
_bm_edit_controller_redraw (BmEditController *self)
{
  if (self->canvas != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  bm_edit_controller_update_actions (self);
}

static void
report_error (BmEditController *self,
              const char       *message)
{
  g_signal_emit (self, signals[ERROR], 0, message);
}

void
_bm_edit_controller_update_cursor (BmEditController *self)
{
  if (bm_shape_drawer_get_mode (self->drawer) != BM_DRAW_NONE)
    gtk_widget_set_cursor_from_name (GTK_WIDGET (self->canvas), "crosshair");
  else
    gtk_widget_set_cursor (GTK_WIDGET (self->canvas), NULL);
}

static void
remember_label (BmEditController *self,
                const char       *label)
{
  if (label == NULL || g_strcmp0 (label, self->last_label) == 0)
    return;
  g_free (self->last_label);
  self->last_label = g_strdup (label);
}

/* The label a new shape gets before the user says otherwise. */
static const char *
default_label (BmEditController *self)
{
  if (self->last_label != NULL)
    return self->last_label;
  if (self->catalog != NULL && bm_class_catalog_get_n (self->catalog) > 0)
    return bm_class_catalog_get_name (self->catalog, 0);
  return "";
}

/* Selection kept in step with the canvas ----------------------------------------------------- */

static void
editor_selection_changed_cb (BmEditController *self,
                             BmEditor         *editor)
{
  if (self->syncing)
    return;
  self->syncing = TRUE;
  bm_canvas_set_selected (self->canvas, bm_editor_get_primary (editor));
  self->syncing = FALSE;
  _bm_edit_controller_redraw (self);
}

static void
canvas_selected_cb (BmEditController *self)
{
  int selected = bm_canvas_get_selected (self->canvas);

  if (self->syncing || self->editor == NULL || selected == bm_editor_get_primary (self->editor))
    return;
  if (selected >= (int) bm_annotation_get_n_objects (self->annotation))
    return;
  self->syncing = TRUE;
  bm_editor_select (self->editor, selected);
  self->syncing = FALSE;
  _bm_edit_controller_redraw (self);
}

static void
annotation_changed_cb (BmEditController *self)
{
  _bm_edit_controller_redraw (self);
  g_signal_emit (self, signals[EDITED], 0);
}

/* Pending shapes and labels ------------------------------------------------------------------ */

static void
view_bounds (BmEditController *self,
             const BmShape    *shape,
             GdkRectangle     *rect)
{
  BmRect r = bm_shape_bounds (shape);
  double x1, y1, x2, y2;

  double width = gtk_widget_get_width (GTK_WIDGET (self->canvas));
  double height = gtk_widget_get_height (GTK_WIDGET (self->canvas));

  bm_canvas_image_to_view (self->canvas, r.x1, r.y1, &x1, &y1);
  bm_canvas_image_to_view (self->canvas, r.x2, r.y2, &x2, &y2);
  /* Kept on the canvas: GTK 4.8 cannot place a popover that points off the screen. */
  x1 = CLAMP (x1, 0, MAX (0, width - 1));
  x2 = CLAMP (x2, 0, MAX (0, width - 1));
  y1 = CLAMP (y1, 0, MAX (0, height - 1));
  y2 = CLAMP (y2, 0, MAX (0, height - 1));
  rect->x = (int) floor (x1);
  rect->y = (int) floor (y1);
  rect->width = MAX (1, (int) ceil (x2 - x1));
  rect->height = MAX (1, (int) ceil (y2 - y1));
}

static void
open_popover (BmEditController *self,
              const BmShape    *shape,
              const char       *text)
{
  GdkRectangle rect;

  view_bounds (self, shape, &rect);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  /* every class listed, this one highlighted: a click picks any class (issue 12) */
  bm_label_popover_present (self->popover, text);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static gboolean
commit_pending (BmEditController *self,
                const char       *label)
{
  g_autoptr(BmObject) object = NULL;

  if (!self->has_pending || label == NULL || label[0] == '\0' || !_bm_edit_controller_can_edit (self))
    return FALSE;
  self->has_pending = FALSE;
  object = bm_object_new (label, &self->pending);
  remember_label (self, label);
  return bm_editor_add_object (self->editor, object) >= 0;
}

static void
label_chosen_cb (BmEditController *self,
                 const char       *label,
                 gboolean          is_new,
                 BmLabelPopover   *popover)
{
  g_autoptr(GError) error = NULL;

  if (is_new && self->catalog != NULL && !bm_class_catalog_add (self->catalog, label, &error))
    report_error (self, error->message);
  if (self->has_pending)
    commit_pending (self, label);
  else if (self->relabel_selection && self->editor != NULL)
    {
      bm_editor_set_label_selected (self->editor, label);
      remember_label (self, label);
    }
  self->relabel_selection = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  _bm_edit_controller_redraw (self);
}

static void
label_cancelled_cb (BmEditController *self,
                    BmLabelPopover   *popover)
{
  self->has_pending = FALSE;
  self->relabel_selection = FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  _bm_edit_controller_redraw (self);
}

void
_bm_edit_controller_shape_finished (BmEditController *self)
{
  self->pending = *bm_shape_drawer_get_result (self->drawer);
  self->has_pending = TRUE;
  _bm_edit_controller_update_cursor (self);
  /* X-AnyLabeling's auto-label mode: the last label, without asking (the first still asks) */
  if (self->use_last_label && self->last_label != NULL && self->last_label[0] != '\0')
    {
      g_autofree char *label = g_strdup (self->last_label);

      commit_pending (self, label);
      _bm_edit_controller_redraw (self);
      return;
    }
  open_popover (self, &self->pending, default_label (self));
  _bm_edit_controller_redraw (self);
}

/* Operations --------------------------------------------------------------------------------- */

gboolean
bm_edit_controller_start_drawing (BmEditController *self,
                                  BmDrawMode        mode)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!_bm_edit_controller_can_edit (self) && mode != BM_DRAW_NONE)
    return FALSE;
  bm_shape_drawer_set_bounds (self->drawer, bm_annotation_get_width (self->annotation),
                              bm_annotation_get_height (self->annotation));
  bm_shape_drawer_set_allow_outside (self->drawer, self->allow_outside);
  bm_shape_drawer_set_mode (self->drawer, mode);
  _bm_edit_controller_update_cursor (self);
  _bm_edit_controller_redraw (self);
  return TRUE;
}

gboolean
bm_edit_controller_escape (BmEditController *self)
{
  gboolean did = FALSE;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (self->has_pending)
    {
      self->has_pending = FALSE;
      gtk_popover_popdown (GTK_POPOVER (self->popover));
      did = TRUE;
    }
  if (self->editor != NULL && bm_editor_is_dragging (self->editor))
    {
      bm_editor_cancel_drag (self->editor);
      self->pressed = FALSE;
      did = TRUE;
    }
  if (bm_shape_drawer_cancel (self->drawer))
    did = TRUE;
  _bm_edit_controller_update_cursor (self);
  _bm_edit_controller_redraw (self);
  return did;
}

gboolean
bm_edit_controller_delete (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return _bm_edit_controller_can_edit (self) && bm_editor_delete_selected (self->editor);
}

gboolean
bm_edit_controller_duplicate (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return _bm_edit_controller_can_edit (self) && bm_editor_duplicate_selected (self->editor, BM_EDIT_CONTROLLER_COPY_OFFSET);
}

gboolean
bm_edit_controller_copy (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (self->editor == NULL || bm_editor_get_n_selected (self->editor) == 0)
    return FALSE;
  g_clear_pointer (&self->clipboard, g_ptr_array_unref);
  self->clipboard = bm_editor_copy_selected (self->editor);
  bm_edit_controller_update_actions (self);
  return TRUE;
}

gboolean
bm_edit_controller_paste (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!_bm_edit_controller_can_edit (self) || self->clipboard == NULL)
    return FALSE;
  return bm_editor_paste (self->editor, self->clipboard, BM_EDIT_CONTROLLER_COPY_OFFSET) > 0;
}

gboolean
bm_edit_controller_copy_previous (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!_bm_edit_controller_can_edit (self) || self->previous == NULL)
    return FALSE;
  return bm_editor_copy_all_from (self->editor, self->previous) > 0;
}

gboolean
bm_edit_controller_undo (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  bm_edit_controller_escape (self);
  return _bm_edit_controller_can_edit (self) && bm_editor_undo (self->editor);
}

gboolean
bm_edit_controller_redo (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  bm_edit_controller_escape (self);
  return _bm_edit_controller_can_edit (self) && bm_editor_redo (self->editor);
}

gboolean
bm_edit_controller_rotate (BmEditController *self,
                           double            angle)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return _bm_edit_controller_can_edit (self) && bm_editor_rotate_selected (self->editor, angle);
}

gboolean
bm_edit_controller_nudge (BmEditController *self,
                          double            dx,
                          double            dy)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return _bm_edit_controller_can_edit (self) && bm_editor_move_selected (self->editor, dx, dy);
}

gboolean
bm_edit_controller_has_selection (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return self->editor != NULL && bm_editor_get_n_selected (self->editor) > 0;
}

gboolean
bm_edit_controller_select_all (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (self->editor == NULL || bm_annotation_get_n_objects (self->annotation) == 0)
    return FALSE;
  bm_editor_select_all (self->editor);
  return TRUE;
}

gboolean
bm_edit_controller_set_label (BmEditController *self,
                              const char       *label)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (label == NULL || label[0] == '\0' || !_bm_edit_controller_can_edit (self))
    return FALSE;
  if (self->has_pending)
    {
      gboolean done = commit_pending (self, label);

      gtk_popover_popdown (GTK_POPOVER (self->popover));
      return done;
    }
  if (!bm_editor_set_label_selected (self->editor, label))
    return FALSE;
  remember_label (self, label);
  return TRUE;
}

gboolean
bm_edit_controller_label_digit (BmEditController *self,
                                guint             digit)
{
  const char *label;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  label = self->catalog ? bm_class_catalog_get_for_digit (self->catalog, digit) : NULL;
  return label != NULL && bm_edit_controller_set_label (self, label);
}

gboolean
bm_edit_controller_edit_label (BmEditController *self)
{
  int primary;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!_bm_edit_controller_can_edit (self) || (primary = bm_editor_get_primary (self->editor)) < 0)
    return FALSE;
  self->relabel_selection = TRUE;
  open_popover (self, bm_object_get_shape (bm_annotation_get_object (self->annotation, (guint) primary)),
                bm_object_get_label (bm_annotation_get_object (self->annotation, (guint) primary)));
  return TRUE;
}

gboolean
bm_edit_controller_toggle_difficult (BmEditController *self)
{
  int primary;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (!_bm_edit_controller_can_edit (self) || (primary = bm_editor_get_primary (self->editor)) < 0)
    return FALSE;
  return bm_editor_set_difficult_selected (self->editor,
                                           bm_object_get_difficult (bm_annotation_get_object (self->annotation, (guint) primary)) ? 0 : 1);
}

gboolean
bm_edit_controller_has_pending (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return self->has_pending;
}

/* Setup -------------------------------------------------------------------------------------- */

void
bm_edit_controller_set_action_widget (BmEditController *self,
                                      GtkWidget        *widget)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  _bm_edit_controller_actions_set_widget (self, widget);
  bm_edit_controller_update_actions (self);
}

static void
draw_overlay_cb (BmCanvas *canvas,
                 cairo_t  *cr,
                 gpointer  user_data)
{
  bm_edit_controller_draw_overlay (user_data, cr);
}


static void
drop_editor (BmEditController *self)
{
  if (self->editor != NULL)
    {
      g_clear_signal_handler (&self->selection_id, self->editor);
      g_clear_signal_handler (&self->dirty_id, bm_editor_get_history (self->editor));
      /* the session keeps the editor: it must not call into our visibility later */
      bm_editor_set_visible_func (self->editor, NULL, NULL);
    }
  if (self->annotation != NULL)
    g_clear_signal_handler (&self->changed_id, self->annotation);
  g_clear_object (&self->editor);
}

void
bm_edit_controller_set_editor (BmEditController *self,
                               BmEditor         *editor)
{
  BmAnnotation *annotation;

  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));
  g_return_if_fail (editor == NULL || BM_IS_EDITOR (editor));

  if (editor == self->editor)
    return;
  annotation = editor != NULL ? bm_editor_get_annotation (editor) : NULL;
  bm_edit_controller_escape (self);
  drop_editor (self);
  if (self->annotation != NULL && self->annotation != annotation)
    g_set_object (&self->previous, self->annotation);
  g_set_object (&self->annotation, annotation);
  if (editor != NULL)
    {
      self->editor = g_object_ref (editor);
      bm_editor_set_allow_outside (self->editor, self->allow_outside);
      bm_editor_set_precision (self->editor, self->precision);
      if (self->visibility != NULL)
        bm_editor_set_visible_func (self->editor, bm_visibility_editor_func, self->visibility);
      self->selection_id = g_signal_connect_swapped (self->editor, "selection-changed",
                                                     G_CALLBACK (editor_selection_changed_cb), self);
      self->changed_id = g_signal_connect_swapped (annotation, "changed", G_CALLBACK (annotation_changed_cb), self);
      /* Undo restores the objects before it restores the saved-state mark: tell again after. */
      self->dirty_id = g_signal_connect_swapped (bm_editor_get_history (self->editor), "notify::dirty",
                                                 G_CALLBACK (annotation_changed_cb), self);
      if (self->catalog != NULL)
        bm_class_catalog_add_found_in (self->catalog, annotation);
    }
  _bm_edit_controller_redraw (self);
}

void
bm_edit_controller_set_annotation (BmEditController *self,
                                   BmAnnotation     *annotation)
{
  g_autoptr(BmEditor) editor = NULL;

  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));
  g_return_if_fail (annotation == NULL || BM_IS_ANNOTATION (annotation));

  if (annotation == self->annotation)
    return;
  if (annotation != NULL)
    editor = bm_editor_new (annotation);
  bm_edit_controller_set_editor (self, editor);
}

gboolean
bm_edit_controller_get_busy (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return self->has_pending || bm_shape_drawer_get_mode (self->drawer) != BM_DRAW_NONE ||
         (self->editor != NULL && bm_editor_is_dragging (self->editor));
}

BmEditor *
bm_edit_controller_get_editor (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->editor;
}

BmShapeDrawer *
bm_edit_controller_get_drawer (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->drawer;
}

BmLabelPopover *
bm_edit_controller_get_label_popover (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->popover;
}

BmCanvas *
bm_edit_controller_get_canvas (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->canvas;
}

void
bm_edit_controller_set_catalog (BmEditController *self,
                                BmClassCatalog   *catalog)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  g_set_object (&self->catalog, catalog);
  bm_label_popover_set_catalog (self->popover, catalog);
  if (catalog != NULL && self->annotation != NULL)
    bm_class_catalog_add_found_in (catalog, self->annotation);
}

BmClassCatalog *
bm_edit_controller_get_catalog (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), NULL);
  return self->catalog;
}

void
bm_edit_controller_set_allow_outside (BmEditController *self,
                                      gboolean          allow_outside)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  self->allow_outside = !!allow_outside;
  if (self->editor != NULL)
    bm_editor_set_allow_outside (self->editor, allow_outside);
  bm_shape_drawer_set_allow_outside (self->drawer, allow_outside);
}

gboolean
bm_edit_controller_get_dirty (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return self->editor != NULL && bm_history_is_dirty (bm_editor_get_history (self->editor));
}

void
bm_edit_controller_mark_saved (BmEditController *self)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));

  if (self->editor != NULL)
    bm_history_mark_saved (bm_editor_get_history (self->editor));
}

static void
bm_edit_controller_dispose (GObject *object)
{
  BmEditController *self = BM_EDIT_CONTROLLER (object);

  drop_editor (self);
  bm_edit_controller_set_visibility (self, NULL);
  if (self->action_widget != NULL)
    bm_edit_controller_set_action_widget (self, NULL);
  if (self->canvas != NULL)
    {
      g_clear_signal_handler (&self->canvas_selected_id, self->canvas);
      bm_canvas_set_overlay_func (self->canvas, NULL, NULL, NULL);
      if (self->popover != NULL)
        gtk_widget_unparent (GTK_WIDGET (self->popover));
      self->popover = NULL;
      g_object_remove_weak_pointer (G_OBJECT (self->canvas), (gpointer *) &self->canvas);
      self->canvas = NULL;
    }
  g_clear_object (&self->annotation);
  g_clear_object (&self->previous);
  g_clear_object (&self->catalog);
  g_clear_object (&self->drawer);
  g_clear_pointer (&self->clipboard, g_ptr_array_unref);
  G_OBJECT_CLASS (bm_edit_controller_parent_class)->dispose (object);
}

static void
bm_edit_controller_finalize (GObject *object)
{
  BmEditController *self = BM_EDIT_CONTROLLER (object);

  g_free (self->last_label);
  G_OBJECT_CLASS (bm_edit_controller_parent_class)->finalize (object);
}

static void
bm_edit_controller_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, bm_edit_controller_get_busy (BM_EDIT_CONTROLLER (object)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bm_edit_controller_class_init (BmEditControllerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bm_edit_controller_dispose;
  object_class->finalize = bm_edit_controller_finalize;
  object_class->get_property = bm_edit_controller_get_property;

  /* A shape is being drawn, dragged or waits for its label (what Escape would cancel). */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* After any change to the objects (edits, undo, redo). */
  signals[EDITED] = g_signal_new ("edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Something could not be done; the message is for the user. */
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
bm_edit_controller_init (BmEditController *self)
{
  self->drawer = bm_shape_drawer_new ();
  self->precision = 1;
}

static void
visibility_changed_cb (BmEditController *self)
{
  /* re-given, so that what is now hidden leaves the selection */
  if (self->editor != NULL)
    bm_editor_set_visible_func (self->editor, bm_visibility_editor_func, self->visibility);
  _bm_edit_controller_redraw (self);
}

void
bm_edit_controller_set_visibility (BmEditController *self,
                                   BmVisibility     *visibility)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));
  g_return_if_fail (visibility == NULL || BM_IS_VISIBILITY (visibility));

  if (self->visibility == visibility)
    return;
  if (self->visibility != NULL)
    g_clear_signal_handler (&self->visibility_id, self->visibility);
  g_set_object (&self->visibility, visibility);
  if (self->editor != NULL)
    bm_editor_set_visible_func (self->editor, visibility ? bm_visibility_editor_func : NULL, visibility);
  if (visibility != NULL)
    self->visibility_id = g_signal_connect_swapped (visibility, "changed", G_CALLBACK (visibility_changed_cb), self);
}

void
bm_edit_controller_set_precision (BmEditController *self,
                                  double            precision)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));
  g_return_if_fail (precision >= 0);

  self->precision = precision;
  if (self->editor != NULL)
    bm_editor_set_precision (self->editor, precision);
}

double
bm_edit_controller_get_precision (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), 1);
  return self->precision;
}

void
bm_edit_controller_set_use_last_label (BmEditController *self,
                                       gboolean          use_last_label)
{
  g_return_if_fail (BM_IS_EDIT_CONTROLLER (self));
  self->use_last_label = !!use_last_label;
}

gboolean
bm_edit_controller_get_use_last_label (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return self->use_last_label;
}

const char *
bm_edit_controller_get_last_label (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), "");
  return self->last_label != NULL ? self->last_label : "";
}

gboolean
bm_edit_controller_accept (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return _bm_edit_controller_can_edit (self) && bm_editor_accept_selected (self->editor);
}

gboolean
bm_edit_controller_accept_all (BmEditController *self)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);
  return _bm_edit_controller_can_edit (self) && bm_editor_accept_all (self->editor);
}

guint
bm_edit_controller_delete_weak (BmEditController *self,
                                double            threshold)
{
  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), 0);

  if (!_bm_edit_controller_can_edit (self))
    return 0;
  return bm_editor_delete_pre_annotations_below (self->editor, threshold);
}

gboolean
bm_edit_controller_cycle_stacked (BmEditController *self,
                                  int               step)
{
  int next;

  g_return_val_if_fail (BM_IS_EDIT_CONTROLLER (self), FALSE);

  if (self->editor == NULL || !self->has_click)
    return FALSE;
  next = bm_editor_next_object_at (self->editor, self->press_x, self->press_y, _bm_edit_controller_tolerance (self),
                                   bm_editor_get_primary (self->editor), step);
  if (next < 0 || next == bm_editor_get_primary (self->editor))
    return FALSE;
  bm_editor_select (self->editor, next);
  return TRUE;
}

BmEditController *
bm_edit_controller_new (BmCanvas *canvas)
{
  BmEditController *self;

  g_return_val_if_fail (BM_IS_CANVAS (canvas), NULL);

  self = g_object_new (BM_TYPE_EDIT_CONTROLLER, NULL);
  self->canvas = canvas;
  g_object_add_weak_pointer (G_OBJECT (canvas), (gpointer *) &self->canvas);

  self->popover = BM_LABEL_POPOVER (bm_label_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->popover), GTK_WIDGET (canvas));
  g_signal_connect_object (self->popover, "label-chosen", G_CALLBACK (label_chosen_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->popover, "cancelled", G_CALLBACK (label_cancelled_cb), self, G_CONNECT_SWAPPED);

  _bm_edit_controller_input_init (self);

  self->canvas_selected_id = g_signal_connect_swapped (canvas, "notify::selected", G_CALLBACK (canvas_selected_cb), self);
  bm_canvas_set_overlay_func (canvas, draw_overlay_cb, self, NULL);
  return self;
}
